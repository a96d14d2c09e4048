/**
 * The studio's one service: every StudioApi method, transport-agnostic. `ipc.ts` wires it to
 * ipcMain, the CLI calls it directly, the e2e harness serves it over loopback HTTP. It never
 * imports `electron`, validates every argument itself (the CLI has no IPC layer in front),
 * and relays the trainer's events coalesced (at most ~20 progress messages per second).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_HYPERPARAMS } from '../../common/api';
import type {
  DatasetStatus,
  Hyperparams,
  Inspection,
  InspectRequest,
  Prediction,
  PredictRequest,
  RendererError,
  RunRecord,
  ResumableRun,
  RunRef,
  RunSummary,
  SaveImageRequest,
  SaveTextRequest,
  StartRequest,
  StartRequestInput,
  StudioApi,
  StudioEvent,
  StudioStatus,
  TestResults,
} from '../../common/api';
import { EventCoalescer } from './coalesce';
import { LiveRunTracker } from './live-run';
import type { CoalescerOptions } from './coalesce';
import { StudioError } from '../../common/errors';
import { workerPath as defaultWorkerPath } from './paths';
import { TrainerHost } from './trainer-host';
import type { HostRequest, ReadyInfo, ReplyByType, RestartPolicy } from './trainer-host';
import type { WorkerConfig } from '../engine/protocol';
import { listResumable, readCheckpointState } from '../store/checkpoint-files';
import { RunStore } from '../store/store';
import type { TreeFile } from '../store/store';
import { parseRequest } from './validate';
import { writeFileAtomic } from '../store/atomic';
import { toStoreError } from '../store/store-fs';
import { Sweeps } from './sweeps';
import { consoleLogger } from './logger';
import type { Logger } from './logger';
import { RendererErrorLog } from './renderer-errors';
import type { SweepListing, SweepPlanInput, SweepPreview, SweepRef, SweepState } from '../../common/sweep';
import type {
  FineTuneReport,
  FineTuneRequest,
  ImportMyDigitsRequest,
  MyDigitRef,
  MyDigitsImport,
  MyDigitsListing,
  MyDigitsScore,
  SaveMyDigitRequest,
  UpdateMyDigitRequest,
} from '../../common/api';
import { MyDigits } from './my-digits';
import { MyDigitsScorer } from './my-digits-score';
import { fineTuneJob } from './fine-tune-job';
import { MY_DIGITS_FILE } from '../store/my-digits-store';
import type { TrainJob } from '../store/train-job';

/** The parts of RunStore (main/store/store.ts) the service uses. */
export interface RunStoreLike {
  list(): Promise<RunSummary[]>;
  loadRecord(runId: string): Promise<RunRecord>;
  deleteRun(runId: string): Promise<void>;
  exportRun(runId: string, destDir: string): Promise<string>;
  readRunFiles(runId: string): Promise<TreeFile[]>;
}

export interface StudioServiceOptions extends WorkerConfig {
  /** The bundled worker; defaults to out/worker/worker.mjs under the app root. */
  workerPath?: string;
  /** An already-started host (the service then leaves disposing it to the caller). */
  host?: TrainerHost;
  restart?: Partial<RestartPolicy>;
  /**
   * Whether predictions get a worker of their own (default true), so that the drawing pad's
   * answers never wait behind training; the CLI, which never predicts, says false. With `host`
   * given, predictions always go to that host.
   */
  predictorWorker?: boolean;
  store?: RunStoreLike;
  coalescer?: CoalescerOptions;
  /** The clock run ids are made from. */
  now?: () => Date;
  /**
   * Asks the person for the folder to export run `runId` into (the app: the native folder
   * dialog); null when they cancel. Without it, exportRun is refused.
   */
  chooseExportFolder?: (runId: string) => Promise<string | null>;
  /** Asks where to save a file (the app: the native save dialog); null when they cancel. Without it, saving files is refused. */
  chooseSaveFile?: (fileName: string) => Promise<string | null>;
  /** Where sweeps are saved; defaults to `sweeps` beside the runs folder. */
  sweepsDir?: string;
  /**
   * Sweeps on workers (through Redis): `reattach` (default true) picks up, at construction, one
   * that an earlier session left running, so its results go on being imported (the CLI says
   * false: it follows only the sweep it is asked to); `reconcileMs` is how often each trial's job
   * is re-read (default 5 s).
   */
  queueSweeps?: { reattach?: boolean; reconcileMs?: number };
  /** The personal set's file; defaults to `my-digits.json` beside the runs folder. */
  myDigitsFile?: string;
  /** Asks which file to import (the app: the native open dialog); null when they cancel. Without it, an import must bring its text. */
  chooseOpenFile?: (fileName: string) => Promise<string | null>;
  /** Where warnings and errors go (worker crashes with their stacks, renderer errors); default the console. */
  logger?: Logger;
}

/** How long getStatus waits for a starting worker before answering "no backend yet". */
const STATUS_WAIT_MS = 30_000;

/** StudioApi over the trainer worker and the run store, plus `onEvent`. */
export class StudioService implements StudioApi {
  /** The worker owner; exposed for tests (`crashForTest`) and the CLI. */
  readonly host: TrainerHost;
  /** The worker that answers predictions; null when they go to `host`. Exposed for tests. */
  readonly predictorHost: TrainerHost | null;
  private readonly ownsHost: boolean;
  private readonly store: RunStoreLike;
  /** The run folders themselves, for checkpoints (tf-free, like the store). */
  private readonly runStore: RunStore;
  private readonly coalescer: EventCoalescer;
  /** The run in progress, from every event (before coalescing), for windows that join mid-run. */
  private readonly live = new LiveRunTracker();
  private readonly listeners = new Set<(event: StudioEvent) => void>();
  private readonly issuedRunIds = new Set<string>();
  private readonly offHost: () => void;
  private readonly now: () => Date;
  /** The run being started or trained; set before the worker hears of it, so a second start is refused. */
  private activeRunId: string | null = null;
  /** Sweeps: their trials run through beginRun below. Exposed for tests and the CLI. */
  readonly sweeps: Sweeps;
  /** Settles once a sweep on workers left running by an earlier session is reattached (its id), or found to be none (null). */
  readonly reattached: Promise<string | null>;
  /** The personal set ("my digits") and its scores. Exposed for tests and browser mode's download. */
  readonly myDigits: MyDigits;
  private readonly scorer: MyDigitsScorer;
  private readonly log: Logger;
  private readonly rendererErrors: RendererErrorLog;

  constructor(private readonly options: StudioServiceOptions) {
    this.log = options.logger ?? consoleLogger;
    this.rendererErrors = new RendererErrorLog(this.log);
    this.ownsHost = !options.host;
    this.host =
      options.host ??
      new TrainerHost({
        config: workerConfig(options),
        workerPath: options.workerPath ?? defaultWorkerPath(),
        restart: options.restart,
        logger: this.log,
      });
    const ownPredictor = !options.host && (options.predictorWorker ?? true);
    this.predictorHost = ownPredictor
      ? new TrainerHost({
          config: { ...workerConfig(options), role: 'predictor' },
          workerPath: options.workerPath ?? defaultWorkerPath(),
          restart: options.restart,
          logger: this.log,
        })
      : null;
    this.runStore = new RunStore(options.runsDir);
    this.store = options.store ?? this.runStore;
    this.now = options.now ?? (() => new Date());
    this.coalescer = new EventCoalescer((event) => this.emit(event), options.coalescer);
    this.sweeps = new Sweeps({
      sweepsDir: options.sweepsDir ?? path.join(path.dirname(options.runsDir), 'sweeps'),
      runStore: this.runStore,
      ...(options.queueSweeps?.reconcileMs ? { queueReconcileMs: options.queueSweeps.reconcileMs } : {}),
      trainer: {
        beginRun: (request) => this.beginRun(request),
        resumeRun: (ref) => this.beginResume(ref.runId),
        stopRun: () => this.host.stop(),
        listResumable: () => listResumable(this.runStore),
        loadRun: (ref) => this.store.loadRecord(ref.runId),
      },
      listRuns: () => this.store.list(),
      emit: (event) => this.coalescer.push(event),
      now: this.now,
      logger: this.log,
    });
    this.myDigits = new MyDigits({
      file: options.myDigitsFile ?? path.join(path.dirname(options.runsDir), MY_DIGITS_FILE),
      now: this.now,
      chooseSaveFile: options.chooseSaveFile,
      chooseOpenFile: options.chooseOpenFile,
    });
    this.scorer = new MyDigitsScorer({
      current: () => this.myDigits.current(),
      signature: () => this.myDigits.store.signature(),
      loadRecord: (runId) => this.store.loadRecord(runId),
      fingerprint: (runId) => this.runStore.fingerprint(runId),
      classify: (runId, pixels) => this.onPredictor({ type: 'classify', request: { runId, pixels } }),
    });
    this.offHost = this.host.onEvent((event) => this.onHostEvent(event));
    this.reattached = (options.queueSweeps?.reattach ?? true) ? this.sweeps.reattach() : Promise.resolve(null);
  }

  /** Subscribes to every StudioEvent (progress coalesced); returns the unsubscribe. */
  onEvent(callback: (event: StudioEvent) => void): () => void {
    this.listeners.add(callback);
    return () => this.listeners.delete(callback);
  }

  /**
   * What is running now, answered at once (getStatus waits for a starting worker): main must
   * decide inside a quit or close event whether to ask first. A sweep's trial is also the run.
   */
  get activity(): { runId: string | null; sweepId: string | null } {
    return { runId: this.activeRunId, sweepId: this.sweeps.activeSweepId };
  }

  async getStatus(): Promise<StudioStatus> {
    const info = await this.waitForReady();
    return {
      backend: info?.backend ?? null,
      backendNote: info?.backendNote ?? null,
      isTraining: this.activeRunId !== null,
      runId: this.activeRunId,
      live: this.live.snapshot(),
      sweep: this.sweeps.status,
    };
  }

  async getDefaults(): Promise<Hyperparams> {
    return structuredClone(DEFAULT_HYPERPARAMS);
  }

  async startTraining(request: StartRequestInput): Promise<{ runId: string }> {
    const parsed = parseRequest('startTraining', request);
    this.refuseIfBusy();
    const { runId, started } = this.beginRun(parsed);
    await started;
    return { runId };
  }

  async resumeTraining(request: RunRef): Promise<{ runId: string }> {
    const { runId } = parseRequest('resumeTraining', request);
    this.refuseIfBusy();
    await this.beginResume(runId);
    return { runId };
  }

  async listResumable(): Promise<ResumableRun[]> {
    parseRequest('listResumable', undefined);
    return listResumable(this.runStore);
  }

  /** Stops the run in progress; during a sweep, the sweep (its trial is the run in progress). */
  async stopTraining(): Promise<void> {
    if (this.sweeps.activeSweepId) this.sweeps.stop();
    else this.host.stop(); // a no-op when idle; the run ends with `done` (stopped: true)
  }

  async previewSweep(request: SweepPlanInput): Promise<SweepPreview> {
    return this.sweeps.preview(parseRequest('previewSweep', request));
  }

  async startSweep(request: SweepPlanInput): Promise<{ sweepId: string }> {
    const plan = parseRequest('startSweep', request);
    this.refuseIfBusy();
    return this.sweeps.start(plan);
  }

  async resumeSweep(request: SweepRef): Promise<{ sweepId: string }> {
    const { sweepId } = parseRequest('resumeSweep', request);
    this.refuseIfBusy();
    return this.sweeps.resume(sweepId);
  }

  async stopSweep(): Promise<void> {
    this.sweeps.stop();
  }

  async listSweeps(): Promise<SweepListing> {
    return this.sweeps.list();
  }

  async loadSweep(request: SweepRef): Promise<SweepState> {
    return this.sweeps.load(parseRequest('loadSweep', request).sweepId);
  }

  async deleteSweep(request: SweepRef): Promise<void> {
    await this.sweeps.delete(parseRequest('deleteSweep', request).sweepId);
  }

  async reportRendererError(request: RendererError): Promise<void> {
    this.rendererErrors.report(parseRequest('reportRendererError', request));
  }

  async listMyDigits(): Promise<MyDigitsListing> {
    parseRequest('listMyDigits', undefined);
    return this.myDigits.list();
  }

  async saveMyDigit(request: SaveMyDigitRequest): Promise<MyDigitsListing> {
    return this.myDigits.save(parseRequest('saveMyDigit', request));
  }

  async deleteMyDigit(request: MyDigitRef): Promise<MyDigitsListing> {
    return this.myDigits.delete(parseRequest('deleteMyDigit', request));
  }

  async updateMyDigit(request: UpdateMyDigitRequest): Promise<MyDigitsListing> {
    return this.myDigits.update(parseRequest('updateMyDigit', request));
  }

  async exportMyDigits(): Promise<{ path: string } | null> {
    return this.myDigits.exportToFile();
  }

  async importMyDigits(request: ImportMyDigitsRequest): Promise<MyDigitsImport | null> {
    return this.myDigits.import(parseRequest('importMyDigits', request).text);
  }

  async scoreMyDigits(request: RunRef): Promise<MyDigitsScore> {
    return this.scorer.score(parseRequest('scoreMyDigits', request).runId);
  }

  async fineTuneReport(request: RunRef): Promise<FineTuneReport> {
    return this.scorer.report(parseRequest('fineTuneReport', request).runId);
  }

  /** A new run from a saved one's weights, on MNIST mixed with the fine-tune digits (never the score ones). */
  async fineTune(request: FineTuneRequest): Promise<{ runId: string }> {
    const parsed = parseRequest('fineTune', request);
    this.refuseIfBusy();
    const job = fineTuneJob(await this.store.loadRecord(parsed.runId), parsed, await this.myDigits.current());
    this.refuseIfBusy(); // another start may have come in while the files were read
    const { runId, started } = this.beginRun(job);
    await started;
    return { runId };
  }

  async predict(request: PredictRequest): Promise<Prediction> {
    return this.onPredictor({ type: 'predict', request: parseRequest('predict', request) });
  }

  /** On the predictor worker too, so that looking inside never waits behind a training step. */
  async inspect(request: InspectRequest): Promise<Inspection> {
    return this.onPredictor({ type: 'inspect', request: parseRequest('inspect', request) });
  }

  /**
   * On the predictor worker; if that one has crashed (it restarts on its own) or given up,
   * the trainer answers instead, a little later while it trains, rather than not at all.
   */
  private async onPredictor<M extends Extract<HostRequest, { type: 'predict' | 'inspect' | 'classify' }>>(
    message: M,
  ): Promise<ReplyByType[M['type']]> {
    if (!this.predictorHost) return this.host.request(message);
    return this.predictorHost.request(message).catch((err: unknown) => {
      if (err instanceof StudioError && err.code === 'worker-crashed') return this.host.request(message);
      throw err;
    });
  }

  async evaluate(request: RunRef): Promise<TestResults> {
    return this.host.request({ type: 'evaluate', request: parseRequest('evaluate', request) });
  }

  async datasetStatus(): Promise<DatasetStatus> {
    return this.host.request({ type: 'dataset' });
  }

  async listRuns(): Promise<RunSummary[]> {
    return this.store.list();
  }

  async loadRun(request: RunRef): Promise<RunRecord> {
    return this.store.loadRecord(parseRequest('loadRun', request).runId);
  }

  async deleteRun(request: RunRef): Promise<void> {
    const { runId } = parseRequest('deleteRun', request);
    if (runId === this.activeRunId) {
      throw new StudioError('busy', `Run ${runId} is being trained: stop it before deleting it.`);
    }
    await this.store.deleteRun(runId);
  }

  async exportRun(request: RunRef): Promise<{ path: string } | null> {
    const { runId } = parseRequest('exportRun', request);
    const choose = this.options.chooseExportFolder;
    if (!choose)
      throw new StudioError(
        'invalid-input',
        'Exporting a run needs a folder picker, and this front end has none: copy the run folder instead.',
      );
    await this.store.loadRecord(runId); // a missing run or a damaged run.json is refused before any dialog opens
    const folder = await choose(runId);
    return folder === null ? null : { path: await this.store.exportRun(runId, folder) };
  }

  async saveTextFile(request: SaveTextRequest): Promise<{ path: string } | null> {
    const { fileName, text } = parseRequest('saveTextFile', request);
    return this.saveFile(fileName, text);
  }

  async saveImageFile(request: SaveImageRequest): Promise<{ path: string } | null> {
    const { fileName, png } = parseRequest('saveImageFile', request);
    return this.saveFile(fileName, Buffer.from(png, 'base64'));
  }

  /** Writes `data` where the save dialog says (atomically); null when the person cancels. */
  private async saveFile(fileName: string, data: string | Uint8Array): Promise<{ path: string } | null> {
    const choose = this.options.chooseSaveFile;
    if (!choose) throw new StudioError('invalid-input', 'Saving a file needs a save dialog, and this front end has none.');
    const target = await choose(safeFileName(fileName));
    if (target === null) return null;
    await writeFileAtomic(target, data).catch((err: unknown) => Promise.reject(toStoreError(err)));
    return { path: target };
  }

  /**
   * A run's files, for front ends with no folder picker (browser mode downloads them as a zip).
   * Not part of StudioApi: the desktop app exports through its native dialog instead.
   */
  async readRunFiles(request: RunRef): Promise<TreeFile[]> {
    const { runId } = parseRequest('exportRun', request);
    return this.store.readRunFiles(runId);
  }

  /** The personal set as its file's text, for front ends with no save dialog (browser mode downloads it). Not part of StudioApi. */
  async exportMyDigitsText(): Promise<string> {
    return this.myDigits.exportText();
  }

  /** Stops relaying; terminates the worker if this service started it. */
  async dispose(): Promise<void> {
    await this.sweeps.dispose(); // a sweep on workers goes on without us; the next start reattaches
    this.offHost();
    this.coalescer.dispose();
    this.listeners.clear();
    if (this.ownsHost) await Promise.all([this.host.dispose(), this.predictorHost?.dispose()]);
  }

  private refuseIfBusy(): void {
    const sweepId = this.sweeps.activeSweepId;
    if (sweepId !== null) throw new StudioError('busy', `Sweep ${sweepId} is running: stop it or wait for it to finish.`);
    if (this.activeRunId !== null) {
      throw new StudioError('busy', `A training run is already in progress (${this.activeRunId}): stop it or wait for it to finish.`);
    }
  }

  /** Gives the run its id and starts it; the id is taken before the worker hears of it, so a second start is refused. */
  private beginRun(request: StartRequest | TrainJob): { runId: string; started: Promise<void> } {
    const runId = this.newRunId(request.hyperparams);
    this.activeRunId = runId;
    const started = this.host.start(runId, request).catch((err: unknown) => {
      if (this.activeRunId === runId) this.activeRunId = null;
      throw err;
    });
    return { runId, started };
  }

  private async beginResume(runId: string): Promise<void> {
    this.activeRunId = runId;
    try {
      // Read here, not only in the worker, so that a missing or damaged checkpoint is this call's error.
      await readCheckpointState(this.runStore, runId);
      await this.host.resume(runId);
    } catch (err) {
      if (this.activeRunId === runId) this.activeRunId = null;
      throw err;
    }
  }

  private onHostEvent(event: StudioEvent): void {
    if (event.type === 'started') this.activeRunId = event.runId;
    // `error` with runId null is the host giving up on a crash loop: nothing trains any more.
    const isEnd = event.type === 'done' || event.type === 'error';
    if (isEnd && (event.runId === this.activeRunId || event.runId === null)) this.activeRunId = null;
    this.live.observe(event);
    this.sweeps.observe(event);
    this.coalescer.push(event);
  }

  private emit(event: StudioEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.log.error('A StudioEvent listener threw:', err); // one bad listener must not starve the rest
      }
    }
  }

  private async waitForReady(): Promise<ReadyInfo | null> {
    if (this.host.info) return this.host.info;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), STATUS_WAIT_MS)));
    try {
      return await Promise.race([this.host.ready().catch(() => null), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** `2026-11-26T15-40-12-lstm128`: UTC so ids sort by time; a suffix keeps them unique. */
  private newRunId(hyperparams: Hyperparams): string {
    const stamp = this.now().toISOString().slice(0, 19).replace(/:/g, '-');
    const layers = hyperparams.layers > 1 ? `x${hyperparams.layers}` : '';
    const base = `${stamp}-${hyperparams.cell}${hyperparams.units}${layers}`;
    let runId = base;
    for (let n = 2; this.issuedRunIds.has(runId) || existsSync(path.join(this.options.runsDir, runId)); n++) {
      runId = `${base}-${n}`;
    }
    this.issuedRunIds.add(runId);
    return runId;
  }
}

/** A name a save dialog can suggest on every OS: no folders, no characters a file system refuses. */
function safeFileName(name: string): string {
  const cleaned = [...name].map((ch) => (ch.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(ch) ? '_' : ch)).join('');
  return cleaned.replace(/^\.+/, '_');
}

function workerConfig(options: StudioServiceOptions): WorkerConfig {
  const { dataDir, runsDir, mnistDir, backends } = options;
  return { dataDir, runsDir, ...(mnistDir ? { mnistDir } : {}), ...(backends ? { backends } : {}) };
}
