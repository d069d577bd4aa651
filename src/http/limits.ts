/**
 * Body caps, as the consumers whose verdict we reproduce apply them. A body over its cap is refused
 * (HTTP_BODY_TOO_LARGE) without buffering past the cap, so a hostile or broken server cannot make
 * the tool hold more than one cap's worth of bytes per request.
 */

/** An OpenPGP signature from a store: the cluster-version operator reads at most 50 KiB. */
export const SIGNATURE_MAX_BYTES = 50 * 1024;

/** A manifest or manifest list (containers/image `iolimits.MaxManifestBodySize` is 4 MiB). */
export const MANIFEST_MAX_BYTES = 4 * 1024 * 1024;

/** A blob the tool reads: a `.sig` layer (containers/image `MaxSignatureBodySize`) or an image config. */
export const BLOB_MAX_BYTES = 4 * 1024 * 1024;

/** A token endpoint answer. Real ones are a few KiB. */
export const TOKEN_MAX_BYTES = 256 * 1024;

/** What is kept of the body of an error answer (4xx/5xx), for the message; the rest is discarded. */
export const ERROR_BODY_MAX_BYTES = 8 * 1024;
