/**
 * The personal set in browser mode (issue 17): the desktop app exports it through main's save
 * dialog and imports it through the open dialog; a page downloads it from here instead, and
 * uploads it as importMyDigits' `text`, which may be larger than other calls' bodies.
 */
import type http from 'node:http';
import { MAX_SAVED_TEXT } from '../../common/api';
import { MY_DIGITS_FILE } from '../store/my-digits-store';

/** The URL path of the set's download. */
export const MY_DIGITS_DOWNLOAD = `/download/${MY_DIGITS_FILE}`;

/**
 * Body limit of an importMyDigits call: its `text` (up to MAX_SAVED_TEXT characters) travels
 * as a JSON string, where every quote and backslash of the set's own JSON gains an escape.
 */
export const MAX_IMPORT_BODY_BYTES = 3 * MAX_SAVED_TEXT;

/** What the server needs to offer the set as a download. */
export interface MyDigitsSource {
  /** The set as its file's text; 'invalid-input' when it is empty. */
  exportMyDigitsText(): Promise<string>;
}

/** Sends the set as an attachment named my-digits.json. */
export async function sendMyDigits(source: MyDigitsSource, res: http.ServerResponse): Promise<void> {
  const body = Buffer.from(await source.exportMyDigitsText(), 'utf8');
  res
    .writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(body.byteLength),
      'content-disposition': `attachment; filename="${MY_DIGITS_FILE}"`,
      'cache-control': 'no-store',
    })
    .end(body);
}
