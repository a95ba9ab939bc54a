package io.pnpoperator.endpoint.workflow;

import java.util.Locale;

/** The guestshell's state as {@code show app-hosting list} prints it. */
final class GuestshellState {

    static final String RUNNING = "RUNNING";
    static final String NOT_INSTALLED = "NOT_INSTALLED";
    static final String UNKNOWN = "UNKNOWN";

    private GuestshellState() {
    }

    /**
     * Reads the state column of the {@code guestshell} row: {@code RUNNING}, {@code DEPLOYED},
     * {@code ACTIVATED}, {@code STOPPED}; {@code NOT_INSTALLED} for "No App found".
     */
    static String parse(String output) {
        if (output.toLowerCase(Locale.ROOT).contains("no app found")) {
            return NOT_INSTALLED;
        }
        for (String line : output.split("\\R")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 2 && columns[0].equals("guestshell")) {
                return columns[columns.length - 1].toUpperCase(Locale.ROOT);
            }
        }
        return UNKNOWN;
    }
}
