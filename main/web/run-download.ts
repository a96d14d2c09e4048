/**
 * Export in browser mode: the desktop app copies a run into a folder the person picks in the
 * native dialog, which a web page cannot show; a download of the run as one zip is what a
 * browser offers instead. The zip holds the run folder (run.json, model.json, weights.bin) under
 * a folder named for the run, as the desktop export does.
 */
import type http from 'node:http';
import { zipSync } from 'fflate';
import type { Zippable } from 'fflate';
import type { TreeFile } from '../store/store';
import { decodePath } from './url-path';

/** The URL path prefix of a run's zip: `/download/<runId>.zip`. */
export const DOWNLOAD_PREFIX = '/download/';

/** What the server needs to zip a run. */
export interface RunFilesSource {
  readRunFiles(request: { runId: string }): Promise<TreeFile[]>;
}

/** The run id in a download path, or null when the path is not a run's zip. */
export function runIdOfDownload(pathname: string): string | null {
  if (!pathname.startsWith(DOWNLOAD_PREFIX) || !pathname.endsWith('.zip')) return null;
  return decodePath(pathname.slice(DOWNLOAD_PREFIX.length, -'.zip'.length));
}

/** The zip's bytes. Stored, not deflated: weights.bin barely compresses and runs are small. */
export function zipRun(runId: string, files: readonly TreeFile[]): Uint8Array {
  const tree: Zippable = {};
  for (const file of files) tree[`${runId}/${file.name}`] = [file.data, { level: 0 }];
  return zipSync(tree);
}

/** Sends the zip as an attachment. The run id is checked by the source (the same schema as every RunRef). */
export async function sendRunZip(runId: string, source: RunFilesSource, res: http.ServerResponse): Promise<void> {
  const zip = zipRun(runId, await source.readRunFiles({ runId }));
  res
    .writeHead(200, {
      'content-type': 'application/zip',
      'content-length': String(zip.byteLength),
      'content-disposition': `attachment; filename="${runId}.zip"`,
      'cache-control': 'no-store',
    })
    .end(zip);
}
