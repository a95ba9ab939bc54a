package io.pnpoperator.endpoint.web;

import io.pnpoperator.endpoint.provisioning.DeviceDialog;
import io.pnpoperator.endpoint.store.DeviceStore;
import io.pnpoperator.endpoint.workflow.Step;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The admin API: list devices, look at one with its history, move one to a step (unblock, retry), provision one
 * again.
 */
@RestController
@RequestMapping("/api/devices")
class AdminController {

    private static final Logger log = LoggerFactory.getLogger(AdminController.class);
    private static final List<String> STEPS = Arrays.stream(Step.values()).map(Step::name).toList();

    private final DeviceStore store;
    private final DeviceDialog dialog;
    private final Clock clock;

    AdminController(DeviceStore store, DeviceDialog dialog, Clock clock) {
        this.store = store;
        this.dialog = dialog;
        this.clock = clock;
    }

    @GetMapping
    List<DeviceView> devices() {
        return store.list().stream().map(DeviceView::of).toList();
    }

    @GetMapping("/{serial}")
    ResponseEntity<?> device(@PathVariable String serial) {
        String sn = serial.toUpperCase(Locale.ROOT);
        return store.find(sn).<ResponseEntity<?>>map(s -> ResponseEntity.ok(DeviceView.detailed(s.device(),
                store.history(sn)))).orElseGet(() -> noSuchDevice(sn));
    }

    /**
     * Body {@code {"step":"RUN_EVENT_MANAGER"}}; the device continues from that step at its next contact. A move
     * {@link io.pnpoperator.endpoint.workflow.StepMoves} refuses is a 409 saying why.
     */
    @PutMapping("/{serial}/step")
    ResponseEntity<?> moveTo(@PathVariable String serial, @RequestBody(required = false) Map<String, Object> body,
                             @RequestAttribute(name = AdminAccess.CALLER, required = false) String caller) {
        Object requested = body == null ? null : body.get("step");
        if (!(requested instanceof String name) || !STEPS.contains(name)) {
            return ResponseEntity.badRequest().body(Map.of("error", requested == null
                    ? "body must be {\"step\": \"<STEP>\"}" : "unknown step '" + requested + "'", "validSteps", STEPS));
        }
        String sn = serial.toUpperCase(Locale.ROOT);
        String who = caller == null ? "admin-api" : caller;
        return dialog.moveByOperator(sn, Step.valueOf(name), who, clock.instant()).<ResponseEntity<?>>map(move -> {
            if (move.refusal().isPresent()) {
                log.warn("device {}: move to {} by {} refused: {}", sn, name, who, move.refusal().get());
                return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", move.refusal().get()));
            }
            log.info("device {} moved to {} by {}", sn, name, who);
            return ResponseEntity.ok(DeviceView.of(move.change().device()));
        }).orElseGet(() -> noSuchDevice(sn));
    }

    /**
     * Provisions a device again: from NEW_DEVICE, or from the step of the body {@code {"step":"CONFIG_START"}},
     * whatever its phase (provisioned, failed, held). Recorded in its history with who asked.
     */
    @PostMapping("/{serial}/reprovision")
    ResponseEntity<?> reprovision(@PathVariable String serial, @RequestBody(required = false) Map<String, Object> body,
                                  @RequestAttribute(name = AdminAccess.CALLER, required = false) String caller) {
        Object requested = body == null || !body.containsKey("step") ? Step.NEW_DEVICE.name() : body.get("step");
        if (!(requested instanceof String name) || !STEPS.contains(name)) {
            return ResponseEntity.badRequest().body(Map.of("error", "unknown step '" + requested + "'",
                    "validSteps", STEPS));
        }
        String sn = serial.toUpperCase(Locale.ROOT);
        String who = caller == null ? "admin-api" : caller;
        return dialog.reprovision(sn, Step.valueOf(name), who, clock.instant(), () -> true)
                .<ResponseEntity<?>>map(done -> {
                    log.info("device {} to be provisioned again from {}, for {}", sn, name, who);
                    return ResponseEntity.ok(DeviceView.of(done.change().device()));
                }).orElseGet(() -> noSuchDevice(sn));
    }

    private static ResponseEntity<Map<String, String>> noSuchDevice(String serial) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no device with serial " + serial));
    }
}
