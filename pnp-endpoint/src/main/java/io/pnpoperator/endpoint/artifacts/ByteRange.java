package io.pnpoperator.endpoint.artifacts;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of a file a request asks for (RFC 9110, section 14): the whole file, one range of it, or a range that
 * lies beyond its end. Only a single range is served as a part; several ranges, or a header that is not a byte
 * range, get the whole file, as the RFC allows — routers resume a copy with one range.
 *
 * @param start first byte
 * @param end   one past the last byte
 */
record ByteRange(Kind kind, long start, long end) {

    enum Kind { WHOLE, PART, UNSATISFIABLE }

    private static final Pattern ONE_RANGE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    /** The range a {@code Range} header (null when absent) asks of a file of {@code length} bytes. */
    static ByteRange of(String header, long length) {
        ByteRange whole = new ByteRange(Kind.WHOLE, 0, length);
        Matcher m = header == null ? null : ONE_RANGE.matcher(header.trim());
        if (m == null || !m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return whole;
        }
        long start;
        long end;
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            if (suffix == 0) {
                return new ByteRange(Kind.UNSATISFIABLE, 0, 0);
            }
            start = Math.max(0, length - suffix);
            end = length;
        } else {
            start = Long.parseLong(m.group(1));
            end = m.group(2).isEmpty() ? length : Math.min(length, Long.parseLong(m.group(2)) + 1);
            if (end <= start && start < length) {
                return whole; // last before first: not a valid range, so ignored
            }
        }
        if (start >= length) {
            return new ByteRange(Kind.UNSATISFIABLE, 0, 0);
        }
        return new ByteRange(Kind.PART, start, end);
    }

    long length() {
        return end - start;
    }
}
