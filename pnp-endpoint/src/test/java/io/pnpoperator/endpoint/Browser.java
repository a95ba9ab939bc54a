package io.pnpoperator.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven as a person would use a page — open it, click, read what it shows — over the DevTools
 * protocol (a WebSocket, which the JDK's HTTP client speaks): no driver between the test and the browser.
 */
final class Browser implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process chromium;
    private final WebSocket page;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();

    private Browser(Process chromium, WebSocket page) {
        this.chromium = chromium;
        this.page = page;
    }

    static Browser start(Path profileDir) throws IOException, InterruptedException {
        Process chromium = new ProcessBuilder(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--remote-debugging-port=0", "--user-data-dir=" + profileDir, "about:blank"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(chromium.getErrorStream(), StandardCharsets.UTF_8));
        URI browser = null;
        for (String line; browser == null && (line = err.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                browser = URI.create(m.group(1));
            }
        }
        if (browser == null) {
            chromium.destroyForcibly();
            throw new IOException("chromium did not open its DevTools port");
        }
        Thread drain = new Thread(() -> err.lines().forEach(line -> { })); // keep its stderr from filling up
        drain.setDaemon(true);
        drain.start();
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority()
                + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body());
        String pageUrl = null;
        for (JsonNode target : targets) {
            if ("page".equals(target.path("type").asText())) {
                pageUrl = target.get("webSocketDebuggerUrl").asText();
            }
        }
        Browser[] self = new Browser[1];
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), new WebSocket.Listener() {
            private final StringBuilder message = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                message.append(data);
                if (last) {
                    self[0].received(message.toString());
                    message.setLength(0);
                }
                ws.request(1);
                return null;
            }
        }).join();
        self[0] = new Browser(chromium, socket);
        return self[0];
    }

    private void received(String text) {
        try {
            JsonNode message = JSON.readTree(text);
            if (message.has("id")) {
                CompletableFuture<JsonNode> answer = answers.remove(message.get("id").asInt());
                if (answer != null) {
                    answer.complete(message);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        answers.put(id, answer);
        ObjectNode request = JSON.createObjectNode().put("id", id).put("method", method);
        request.set("params", params);
        page.sendText(request.toString(), true).join();
        JsonNode reply = answer.get(30, TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + ": " + reply.get("error"));
        }
        return reply.get("result");
    }

    /** Opens the page and waits until it has loaded. */
    void open(String url) throws Exception {
        call("Page.navigate", JSON.createObjectNode().put("url", url));
        waitFor("document.readyState === 'complete'");
    }

    /** The value of a JavaScript expression in the page (a promise is awaited), as text. */
    String evaluate(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("awaitPromise", true).put("returnByValue", true)).get("result");
        return result.path("value").isTextual() ? result.get("value").asText() : result.path("value").toString();
    }

    /** Waits until the expression is true in the page, as a person waits for the page to show something. */
    void waitFor(String condition) throws Exception {
        Instant until = Instant.now().plus(Duration.ofSeconds(15));
        while (!"true".equals(evaluate("Boolean(" + condition + ")"))) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("the page never showed " + condition + "; it shows:\n"
                        + evaluate("document.body.innerText"));
            }
            Thread.sleep(50);
        }
    }

    /** Clicks the first element the CSS selector finds. */
    void click(String selector) throws Exception {
        String clicked = evaluate("(() => { const e = document.querySelector(" + JSON.writeValueAsString(selector)
                + "); if (!e) return 'missing'; e.click(); return 'ok'; })()");
        if (!clicked.equals("ok")) {
            throw new AssertionError("nothing to click at " + selector);
        }
    }

    /** Chooses an option of a select, as a person does (the page hears the change). */
    void select(String selector, String value) throws Exception {
        evaluate("(() => { const e = document.querySelector(" + JSON.writeValueAsString(selector) + "); e.value = "
                + JSON.writeValueAsString(value) + "; e.dispatchEvent(new Event('change')); })()");
    }

    /** The text of every element the selector finds, one per line. */
    String texts(String selector) throws Exception {
        return evaluate("[...document.querySelectorAll(" + JSON.writeValueAsString(selector)
                + ")].map(e => e.innerText).join('\\n')");
    }

    @Override
    public void close() throws InterruptedException {
        page.abort();
        chromium.destroy();
        if (!chromium.waitFor(10, TimeUnit.SECONDS)) {
            chromium.destroyForcibly();
        }
    }
}
