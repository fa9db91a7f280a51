/**
 * Spew's own safe extractor of build archives over Commons Compress: compression detected by content,
 * nothing written outside the root, symbolic links never followed, no device nodes, limits on sizes.
 */
package io.spew.impl.extract;
