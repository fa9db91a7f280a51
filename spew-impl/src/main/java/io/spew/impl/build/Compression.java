package io.spew.impl.build;

import com.github.luben.zstd.ZstdOutputStream;
import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** The compressions {@code build create} writes, chosen by the archive's file name; all deterministic. */
enum Compression {
    NONE, GZIP, ZSTD, XZ, BZIP2;

    static Compression ofFileName(Path archive) {
        String name = archive.getFileName().toString();
        if (name.endsWith(".tar")) {
            return NONE;
        }
        if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
            return GZIP;
        }
        if (name.endsWith(".tar.zst")) {
            return ZSTD;
        }
        if (name.endsWith(".tar.xz")) {
            return XZ;
        }
        if (name.endsWith(".tar.bz2")) {
            return BZIP2;
        }
        throw new SpewException(ErrorCode.INVALID_ARGUMENT, "cannot tell the compression of " + archive
                + ": name it .tar, .tar.gz, .tar.zst, .tar.xz or .tar.bz2");
    }

    OutputStream compress(OutputStream out) throws IOException {
        return switch (this) {
            case NONE -> out;
            case GZIP -> new GZIPOutputStream(out, 1 << 16);
            case ZSTD -> new ZstdOutputStream(out, 3);
            case XZ -> new XZOutputStream(out, new LZMA2Options());
            case BZIP2 -> new BZip2CompressorOutputStream(out);
        };
    }
}
