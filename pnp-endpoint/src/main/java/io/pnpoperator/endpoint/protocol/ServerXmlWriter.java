package io.pnpoperator.endpoint.protocol;

import java.time.Duration;

/**
 * Writes the server's messages in the shape Cisco PnP agents expect: each request's elements in the order and
 * number Cisco's PnP schemas give them (the project's samples in {@code src/test/resources/pnp} show each one),
 * since a strict agent answers anything else with an XSVC fault.
 */
final class ServerXmlWriter {

    /** Who asks for a reload, as the device logs it. */
    static final String USER = "pnp-operator";

    private final StringBuilder xml = new StringBuilder(512);

    private ServerXmlWriter() {
    }

    static String write(ServerMessage message) {
        ServerXmlWriter w = new ServerXmlWriter();
        w.xml.append("<pnp xmlns=\"").append(Service.PNP_NAMESPACE).append("\" version=\"1.0\" udi=\"")
                .append(escape(message.udi().toString())).append('"');
        message.credentials().ifPresent(c -> w.xml.append(" usr=\"").append(escape(c.username())).append("\" pwd=\"")
                .append(escape(c.password())).append('"'));
        w.xml.append('>');
        if (message instanceof ServerMessage.Request request) {
            w.open("request", request.work().service(), request.correlator());
            w.body(request.work());
            w.close("request");
        } else {
            w.open("info", Service.WORK_INFO, message.correlator()).raw("<workInfo><bye/></workInfo>").close("info");
        }
        return w.xml.append("</pnp>").toString();
    }

    private void body(Work work) {
        if (work instanceof Work.CliConfig c) {
            raw("<configApply details=\"all\"><config-data><cli-config-data>");
            c.commands().forEach(cmd -> element("cmd", cmd));
            raw("</cli-config-data></config-data></configApply>");
        } else if (work instanceof Work.CliExec e) {
            raw("<execCLI maxWait=\"PT").raw(Long.toString(e.maxWait().toSeconds())).raw("S").raw("\" xsd=\"false\">");
            element("cmd", e.command()).raw("</execCLI>");
        } else if (work instanceof Work.DeviceInfo d) {
            raw("<deviceInfo type=\"").raw(escape(d.type())).raw("\"/>");
        } else if (work instanceof Work.ImageInstall i) {
            raw("<image><copy><source>").element("location", i.source().toString()).element("checksum", i.md5());
            raw("</source><destination>").element("location", i.destination()).raw("</destination></copy></image>");
            i.reload().ifPresentOrElse(this::reload, () -> raw("<noReload/>"));
        } else if (work instanceof Work.FileTransfer f) {
            raw("<fileTransfer><copy><source>").element("location", f.source().toString());
            raw("</source><destination>").element("location", f.destination());
            raw("</destination></copy></fileTransfer>");
        } else if (work instanceof Work.ConfigUpgrade c) {
            raw("<config details=\"all\"><copy><source>").element("location", c.source().toString());
            raw("</source></copy></config><noReload/>");
        } else if (work instanceof Work.Backoff b) {
            Duration after = b.callbackAfter();
            raw("<backoff>").element("reason", b.reason()).raw("<callbackAfter>");
            element("hours", Long.toString(after.toHours()));
            element("minutes", Integer.toString(after.toMinutesPart()));
            element("seconds", Integer.toString(after.toSecondsPart()));
            raw("</callbackAfter></backoff>");
        } else if (work instanceof Work.Reload r) {
            reload(r);
        } else if (work instanceof Work.DeviceAuth a) {
            raw("<deviceAuth>").element("challenge-request", a.challenge());
            element("encryption-method", String.join(",", a.encryptionMethods()));
            element("hash-method", String.join(",", a.hashMethods())).raw("</deviceAuth>");
        }
    }

    /** The reload block, the same inside image-install and as the reload service's request. */
    private void reload(Work.Reload r) {
        raw("<reload>").element("reason", r.reason()).element("delayIn", Long.toString(r.delay().toSeconds()));
        element("user", USER).element("saveConfig", Boolean.toString(r.saveConfig())).raw("</reload>");
    }

    private ServerXmlWriter open(String name, Service service, String correlator) {
        xml.append('<').append(name).append(" xmlns=\"").append(service.namespace()).append("\" correlator=\"")
                .append(escape(correlator)).append("\">");
        return this;
    }

    private ServerXmlWriter close(String name) {
        xml.append("</").append(name).append('>');
        return this;
    }

    private ServerXmlWriter element(String name, String text) {
        xml.append('<').append(name).append('>').append(escape(text)).append("</").append(name).append('>');
        return this;
    }

    private ServerXmlWriter raw(String text) {
        xml.append(text);
        return this;
    }

    static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            String replacement = switch (text.charAt(i)) {
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '&' -> "&amp;";
                case '"' -> "&quot;";
                case '\'' -> "&apos;";
                default -> null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                out.append(replacement != null ? replacement : String.valueOf(text.charAt(i)));
            }
        }
        return out == null ? text : out.toString();
    }
}
