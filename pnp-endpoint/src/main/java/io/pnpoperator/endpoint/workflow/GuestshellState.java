package io.pnpoperator.endpoint.workflow;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The guestshell's state as {@code show app-hosting list} prints it: a header ({@code App id} and
 * {@code State}), a line of dashes, then one padded row per app, other apps (utd, syslogng...) included;
 * or {@code No App found} when no app is installed at all.
 */
record GuestshellState(Kind kind, String state) {

    enum Kind {
        /** The guestshell row says RUNNING. */
        RUNNING,
        /** A guestshell row in another state: DEPLOYED, ACTIVATED, STOPPED... */
        PRESENT,
        /** No guestshell row: no app at all, or only other apps. */
        ABSENT,
        /** Output that is not the app table (an error, IOx not running...). */
        UNREADABLE
    }

    static final String APP = "guestshell";

    private static final Pattern HEADER = Pattern.compile("^\\s*App id\\s+State\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern DASHES = Pattern.compile("^\\s*-{3,}\\s*$");

    static GuestshellState parse(String output) {
        if (output.toLowerCase(Locale.ROOT).contains("no app found")) {
            return new GuestshellState(Kind.ABSENT, "NONE");
        }
        boolean table = false;
        for (String line : output.split("\\R")) {
            if (HEADER.matcher(line).matches()) {
                table = true;
                continue;
            }
            if (!table || DASHES.matcher(line).matches() || line.isBlank()) {
                continue;
            }
            Optional<String> state = stateOf(line.trim());
            if (state.isPresent()) {
                String upper = state.get().toUpperCase(Locale.ROOT);
                return new GuestshellState(upper.equals("RUNNING") ? Kind.RUNNING : Kind.PRESENT, upper);
            }
        }
        return table ? new GuestshellState(Kind.ABSENT, "NONE") : new GuestshellState(Kind.UNREADABLE, "UNKNOWN");
    }

    /** The state column of the guestshell's row: the row's last word, where its first word is the app id. */
    private static Optional<String> stateOf(String row) {
        String[] columns = row.split("\\s+");
        return columns.length >= 2 && columns[0].equals(APP) ? Optional.of(columns[columns.length - 1])
                : Optional.empty();
    }
}
