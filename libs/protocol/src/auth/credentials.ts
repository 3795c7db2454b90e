/** Access keys the gateway accepts, read from configuration. */
export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Parses `AKID1:secret1,AKID2:secret2` (SHARDLINE_CREDENTIALS). Empty or unset means no
 * keys: signatures are then not verified. A malformed entry stops the start-up rather than
 * silently leaving the gateway open.
 */
export function parseAccessKeys(text: string | undefined): AccessKey[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((entry) => {
    const colon = entry.indexOf(':');
    const accessKeyId = entry.slice(0, colon).trim();
    const secretAccessKey = entry.slice(colon + 1).trim();
    if (colon < 0 || accessKeyId === '' || secretAccessKey === '') {
      throw new Error(`Malformed credential entry '${entry.slice(0, 24)}': expected ACCESS_KEY_ID:SECRET_ACCESS_KEY`);
    }
    return { accessKeyId, secretAccessKey };
  });
}
