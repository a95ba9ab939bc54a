package io.pnpoperator.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;

/**
 * What a strict PnP agent accepts from a server: for each service, the elements inside {@code request} (or the
 * work-info {@code info}), in the order and number Cisco's PnP schemas give them ({@code pnp_*_body.xsd}), with
 * the types of their text and attributes. Written from the schemas' rules, not from any server's code; where the
 * schema and Cisco's own sample disagree, the sample wins and the rule says so. A strict agent answers anything
 * else with an XSVC fault.
 */
public final class RequestSchema {

    private static final Pattern DURATION = Pattern.compile("P(\\d+Y)?(\\d+M)?(\\d+D)?(T(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?");
    private static final Set<String> BOOLEANS = Set.of("true", "false", "1", "0");
    private static final Set<String> ENVELOPE_ATTRIBUTES = Set.of("version", "udi", "usr", "pwd");

    private static final Particle LOCATION = choice(text("location"), text("uri"));
    private static final Particle RELOAD_OR_NOT = choice(
            element("reload", seq(opt(text("reason")), opt(number("delayIn", 0, Integer.MAX_VALUE)), opt(text("user")),
                    opt(bool("saveConfig")))),
            empty("noReload"));

    private static final Map<String, Particle> SERVICES = Map.of(
            "work-info", element("workInfo", seq(text("bye"), opt(text("sid")))),
            "backoff", element("backoff", seq(text("reason"), choice(empty("terminate"),
                    number("defaultMinutes", 1, 2880),
                    element("callbackAfter", seq(opt(number("hours", 0, 47)), opt(number("minutes", 0, 59)),
                            opt(number("seconds", 0, 59))))))),
            "cli-config", choice(
                    element("configApply", Map.of("details", oneOf("brief", "errors", "all"),
                            "action-on-fail", oneOf("stop", "continue", "rollback")), configData()),
                    element("configTest", Map.of("details", oneOf("brief", "errors", "all")), configData()),
                    empty("configPersist")),
            "cli-exec", element("execCLI", Map.of("maxWait", DURATION.asMatchPredicate(),
                            "maxResponseSize", v -> v.matches("[1-9]\\d*"), "format", v -> true, "xsd", BOOLEANS::contains),
                    seq(text("cmd"), many(element("dialogue", seq(text("expect"), text("reply")))))),
            "device-info", new Named("deviceInfo", Map.of("type",
                    oneOf("image", "hardware", "filesystem", "udi", "profile", "all")), Set.of("type"), Content.EMPTY),
            "image-install", seq(
                    element("image", element("copy", seq(
                            element("source", seq(LOCATION, opt(text("checksum")))),
                            opt(element("destination", LOCATION))))),
                    RELOAD_OR_NOT),
            "file-transfer", element("fileTransfer", element("copy", seq(
                    element("source", LOCATION), element("destination", LOCATION)))),
            // The schema declares abortOnSyntaxFault without minOccurs="0", but Cisco's own sample request in the
            // same file leaves it out: it is optional here, as agents treat it.
            "config-upgrade", seq(
                    element("config", Map.of("details", oneOf("brief", "errors", "all")), element("copy", seq(
                            element("source", seq(LOCATION, opt(text("checksum")))),
                            opt(new Named("applyTo", Map.of(), Set.of(),
                                    Content.text(oneOf("startup", "running", "AP")))),
                            opt(empty("abortOnSyntaxFault"))))),
                    RELOAD_OR_NOT),
            "reload", element("reload", seq(opt(text("reason")), opt(number("delayIn", 0, 2147483)),
                    opt(text("user")), opt(choice(bool("saveConfig"), bool("eraseConfig"))))),
            "device-auth", element("deviceAuth", seq(text("challenge-request"), text("encryption-method"),
                    text("hash-method"))));

    private RequestSchema() {
    }

    /** What is wrong with the server's {@code <pnp>} document, or empty when a strict agent accepts it. */
    public static Optional<String> problem(Element pnp) {
        for (Attr attribute : attributes(pnp)) {
            if (!ENVELOPE_ATTRIBUTES.contains(attribute.getLocalName())) {
                return Optional.of("<pnp> has an unknown attribute " + attribute.getLocalName());
            }
        }
        List<Element> body = Xml.children(pnp);
        if (body.size() != 1) {
            return Optional.of("<pnp> must hold exactly one request or info, found " + body.size() + " elements");
        }
        Element request = body.get(0);
        String service = request.getNamespaceURI() == null ? "" : request.getNamespaceURI().replace("urn:cisco:pnp:", "");
        Particle rule = SERVICES.get(service);
        if (rule == null) {
            return Optional.of("unknown service namespace " + request.getNamespaceURI());
        }
        String expectedName = service.equals("work-info") ? "info" : "request";
        if (!request.getLocalName().equals(expectedName)) {
            return Optional.of("a " + service + " message is <" + expectedName + ">, not <" + request.getLocalName() + ">");
        }
        if (request.getAttribute("correlator").isEmpty()) {
            return Optional.of("<" + expectedName + "> needs a correlator");
        }
        for (Attr attribute : attributes(request)) {
            if (!attribute.getLocalName().equals("correlator")) {
                return Optional.of("<" + expectedName + "> has an unknown attribute " + attribute.getLocalName());
            }
        }
        List<String> problems = new ArrayList<>();
        List<Element> children = Xml.children(request);
        int matched = rule.match(children, 0, problems);
        if (matched < 0 || matched < children.size()) {
            if (problems.isEmpty()) {
                problems.add(matched < 0 ? "a required element is missing"
                        : "unexpected <" + children.get(matched).getLocalName() + ">");
            }
            return Optional.of(service + " request: " + problems.get(0));
        }
        return Optional.empty();
    }

    // --- the little grammar: a content model is a particle matched against a list of child elements

    /** Matches children from {@code at}; returns the position after what it took, or -1 when it cannot match. */
    private interface Particle {
        int match(List<Element> children, int at, List<String> problems);
    }

    private record Sequence(List<Particle> parts) implements Particle {
        public int match(List<Element> children, int at, List<String> problems) {
            int position = at;
            for (Particle part : parts) {
                position = part.match(children, position, problems);
                if (position < 0) {
                    return -1;
                }
            }
            return position;
        }
    }

    private record Choice(List<Particle> options) implements Particle {
        public int match(List<Element> children, int at, List<String> problems) {
            for (Particle option : options) {
                List<String> tried = new ArrayList<>();
                int position = option.match(children, at, tried);
                if (position >= 0) {
                    return position;
                }
                if (!tried.isEmpty() && at < children.size() && matchesName(option, children.get(at))) {
                    problems.addAll(tried);
                    return -1;
                }
            }
            if (problems.isEmpty()) {
                problems.add(at < children.size() ? "unexpected <" + children.get(at).getLocalName() + ">"
                        : "a required element is missing");
            }
            return -1;
        }

        private static boolean matchesName(Particle option, Element child) {
            return option instanceof Named e && e.name().equals(child.getLocalName());
        }
    }

    /** An optional or repeated particle: taken as often as it matches, up to {@code max}. */
    private record Repeat(Particle particle, int min, int max) implements Particle {
        public int match(List<Element> children, int at, List<String> problems) {
            int position = at;
            for (int taken = 0; taken < max; taken++) {
                List<String> tried = new ArrayList<>();
                int next = particle.match(children, position, tried);
                if (next < 0) {
                    if (taken < min) {
                        problems.addAll(tried);
                        return -1;
                    }
                    if (!tried.isEmpty() && position < children.size() && particle instanceof Named e
                            && e.name().equals(children.get(position).getLocalName())) {
                        problems.addAll(tried);
                        return -1;
                    }
                    return position;
                }
                position = next;
            }
            return position;
        }
    }

    private record Content(Optional<Particle> children, Optional<Predicate<String>> text) {
        static final Content EMPTY = new Content(Optional.empty(), Optional.empty());

        static Content of(Particle children) {
            return new Content(Optional.of(children), Optional.empty());
        }

        static Content text(Predicate<String> valid) {
            return new Content(Optional.empty(), Optional.of(valid));
        }
    }

    /** One element by name: its allowed attributes (and which are required), and what it holds. */
    private record Named(String name, Map<String, Predicate<String>> attributes, Set<String> required,
                         Content content) implements Particle {

        public int match(List<Element> children, int at, List<String> problems) {
            if (at >= children.size()) {
                problems.add("<" + name + "> is missing");
                return -1;
            }
            Element child = children.get(at);
            if (!name.equals(child.getLocalName())) {
                problems.add("expected <" + name + ">, found <" + child.getLocalName() + ">");
                return -1;
            }
            for (Attr attribute : RequestSchema.attributes(child)) {
                Predicate<String> valid = attributes.get(attribute.getLocalName());
                if (valid == null) {
                    problems.add("<" + name + "> has an unknown attribute " + attribute.getLocalName());
                    return -1;
                }
                if (!valid.test(attribute.getValue())) {
                    problems.add("<" + name + " " + attribute.getLocalName() + "=\"" + attribute.getValue()
                            + "\"> is not a valid value");
                    return -1;
                }
            }
            for (String attribute : required) {
                if (!child.hasAttribute(attribute)) {
                    problems.add("<" + name + "> needs the attribute " + attribute);
                    return -1;
                }
            }
            List<Element> grandchildren = Xml.children(child);
            if (content.children().isPresent()) {
                int taken = content.children().get().match(grandchildren, 0, problems);
                if (taken < 0) {
                    problems.replaceAll(p -> "in <" + name + ">: " + p);
                    return -1;
                }
                if (taken < grandchildren.size()) {
                    problems.add("in <" + name + ">: unexpected <" + grandchildren.get(taken).getLocalName() + ">");
                    return -1;
                }
            } else if (!grandchildren.isEmpty()) {
                problems.add("<" + name + "> must not hold elements, found <" + grandchildren.get(0).getLocalName() + ">");
                return -1;
            } else if (content.text().isPresent() && !content.text().get().test(child.getTextContent().trim())) {
                problems.add("<" + name + ">" + child.getTextContent() + "</" + name + "> is not a valid value");
                return -1;
            } else if (content.text().isEmpty() && !child.getTextContent().isBlank()) {
                problems.add("<" + name + "> must be empty");
                return -1;
            }
            return at + 1;
        }
    }

    private static Particle seq(Particle... parts) {
        return new Sequence(Arrays.asList(parts));
    }

    private static Particle choice(Particle... options) {
        return new Choice(Arrays.asList(options));
    }

    private static Particle opt(Particle particle) {
        return new Repeat(particle, 0, 1);
    }

    private static Particle many(Particle particle) {
        return new Repeat(particle, 0, Integer.MAX_VALUE);
    }

    private static Named element(String name, Particle children) {
        return element(name, Map.of(), children);
    }

    private static Named element(String name, Map<String, Predicate<String>> attributes, Particle children) {
        return new Named(name, attributes, Set.of(), Content.of(children));
    }

    private static Named text(String name) {
        return new Named(name, Map.of(), Set.of(), Content.text(v -> true));
    }

    private static Named empty(String name) {
        return new Named(name, Map.of(), Set.of(), Content.EMPTY);
    }

    private static Named number(String name, long min, long max) {
        return new Named(name, Map.of(), Set.of(), Content.text(v -> {
            try {
                long n = Long.parseLong(v);
                return n >= min && n <= max;
            } catch (NumberFormatException e) {
                return false;
            }
        }));
    }

    private static Named bool(String name) {
        return new Named(name, Map.of(), Set.of(), Content.text(BOOLEANS::contains));
    }

    private static Particle configData() {
        return element("config-data", choice(element("cli-config-data", new Repeat(text("cmd"), 1, Integer.MAX_VALUE)),
                text("cli-config-data-block")));
    }

    private static Predicate<String> oneOf(String... values) {
        return Set.of(values)::contains;
    }

    private static List<Attr> attributes(Element element) {
        NamedNodeMap map = element.getAttributes();
        List<Attr> out = new ArrayList<>();
        for (int i = 0; i < map.getLength(); i++) {
            Attr attribute = (Attr) map.item(i);
            if (!"http://www.w3.org/2000/xmlns/".equals(attribute.getNamespaceURI())) {
                out.add(attribute);
            }
        }
        return out;
    }
}
