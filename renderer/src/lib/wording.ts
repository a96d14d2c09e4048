/**
 * Service messages in the words a person uses: they name runs by id and files by path, which
 * is right for logs and the CLI, but in the window a run has a name and a hidden temp file is
 * just the file being written. Pure: no DOM, no state.
 */

/**
 * The app's run ids (service.ts newRunId): `2026-11-26T15-40-12-lstm128`, `…-gru64x2-3`, standing
 * alone: an id inside a path or a file name (`…/runs/<id>`, `<id>.zip`) is left as it is written.
 */
const RUN_ID = /(?<![\w/\\.-])"?(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-[a-z]+\d+(?:x\d+)?(?:-\d+)?)"?(?![\w/\\-]|\.\w)/g;
/** A hidden temp sibling (atomic.ts tempSibling), with or without its folder: `/x/.weights.bin.0a1b2c3d4e5f.tmp`. */
const TEMP_PATH = /(?:[^\s"'“”]*[\\/])?\.([^\s"'“”\\/]+?)\.[0-9a-f]{12}\.(?:aside\.)?tmp\b/g;

/** `message` with known run ids replaced by “their name” and temp files by the file they stand for. */
export function readableMessage(message: string, nameOf: (runId: string) => string | null): string {
  return message
    .replace(TEMP_PATH, (_match, name: string) => name)
    .replace(RUN_ID, (match, runId: string) => {
      const name = nameOf(runId);
      return name && name !== runId ? `“${name}”` : match;
    });
}
