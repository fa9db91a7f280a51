package io.spew.impl.trust;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.bcpg.ArmoredInputStream;

/**
 * An OpenPGP file as given, binary or ASCII-armored, held to one block: nothing but white space
 * around the armor, and a single armored block (Bouncy Castle's reader would run on into a second
 * one).
 *
 * @param label the armor label ("SIGNATURE", "PUBLIC KEY BLOCK", "SIGNED MESSAGE"...), or null when
 *     the file is binary
 * @param packets the OpenPGP packets; null for a clearsigned text, which is not decoded
 */
record OpenPgpData(String label, byte[] packets) {
    static final String CLEARSIGNED = "SIGNED MESSAGE";

    private static final Pattern BEGIN = Pattern.compile("-----BEGIN PGP ([A-Z0-9 ,/]{1,40})-----[ \\t]*\\r?\\n");

    /** Why a file is not one block of OpenPGP data. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    static OpenPgpData read(byte[] file) throws Unreadable {
        if (file.length == 0) {
            throw new Unreadable("is empty");
        }
        if ((file[0] & 0x80) != 0) {
            return new OpenPgpData(null, file);
        }
        int start = 0;
        while (start < file.length && isWhiteSpace(file[start])) {
            start++;
        }
        // ISO-8859-1 keeps one char per byte, so that offsets in the text are offsets in the file
        String text = new String(file, start, Math.min(file.length - start, 200), StandardCharsets.ISO_8859_1);
        Matcher begin = BEGIN.matcher(text);
        if (!begin.lookingAt()) {
            throw new Unreadable("is neither binary OpenPGP data nor ASCII-armored (\"-----BEGIN PGP ...\")");
        }
        String label = begin.group(1);
        if (label.equals(CLEARSIGNED)) {
            return new OpenPgpData(label, null);
        }
        return new OpenPgpData(label, dearmor(file, start, label));
    }

    private static byte[] dearmor(byte[] file, int start, String label) throws Unreadable {
        byte[] endLine = ("-----END PGP " + label + "-----").getBytes(StandardCharsets.US_ASCII);
        int end = indexOf(file, endLine, start);
        if (end < 0) {
            throw new Unreadable("is cut short: its armor has no line \"-----END PGP " + label + "-----\"");
        }
        end += endLine.length;
        for (int i = end; i < file.length; i++) {
            if (!isWhiteSpace(file[i])) {
                throw new Unreadable("has more after its line \"-----END PGP " + label + "-----\"");
            }
        }
        try (ArmoredInputStream armor = ArmoredInputStream.builder()
                .build(new ByteArrayInputStream(file, start, end - start))) {
            return armor.readAllBytes();
        } catch (IOException | RuntimeException e) {
            throw new Unreadable("has damaged armor (" + e.getMessage() + ")");
        }
    }

    private static boolean isWhiteSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
