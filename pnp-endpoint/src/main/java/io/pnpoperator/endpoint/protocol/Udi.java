package io.pnpoperator.endpoint.protocol;

import java.util.Locale;

/**
 * Unique Device Identifier, as devices send it: {@code PID:C1131-8PWB,VID:V01,SN:FGL2548L0AW}.
 * The serial number identifies a device (upper case, as Cisco prints it); PID and VID describe its platform and
 * hardware revision.
 */
public record Udi(String pid, String vid, String serial) {

    public Udi {
        if (serial == null || serial.isBlank()) {
            throw new IllegalArgumentException("a UDI needs a serial number (SN)");
        }
        pid = pid == null ? "" : pid;
        vid = vid == null ? "" : vid;
    }

    /** Parses the UDI text; the order of its fields and spaces around them do not matter. */
    public static Udi parse(String text) throws ProtocolException {
        String pid = null;
        String vid = null;
        String serial = null;
        for (String field : text.split(",")) {
            int colon = field.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String value = field.substring(colon + 1).trim();
            switch (field.substring(0, colon).trim().toUpperCase()) {
                case "PID" -> pid = value;
                case "VID" -> vid = value;
                case "SN" -> serial = value;
                default -> { }
            }
        }
        if (serial == null || serial.isEmpty()) {
            throw new ProtocolException(ProtocolException.Problem.MISSING_FIELD, "UDI '" + text + "' has no SN");
        }
        if (!serial.matches("[A-Za-z0-9]{1,32}")) {
            throw new ProtocolException(ProtocolException.Problem.MISSING_FIELD,
                    "UDI serial '" + Limits.shown(serial) + "' is not 1 to 32 letters and digits");
        }
        Limits.check("UDI PID", pid == null ? "" : pid, Limits.PID);
        Limits.check("UDI VID", vid == null ? "" : vid, Limits.VID);
        // Cisco serials are upper case; a device (or a person) writing one in lower case means the same device.
        return new Udi(pid, vid, serial.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return "PID:" + pid + ",VID:" + vid + ",SN:" + serial;
    }
}
