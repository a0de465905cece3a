/**
 * A request buffer handed from one export to the next. A 25 MB request allocated afresh every
 * cycle is external memory V8 answers with full collections; reusing it avoids that. Only safe
 * when exports never overlap: the caller must not encode again until the previous request's
 * bytes have been sent (retries included).
 */
export interface ScratchBuffer {
  buffer: Buffer | undefined;
}
