# Sourced by the benchmarks that run the standalone server (bench/run-1000-devices, bench/router-cpu): a temporary
# lab (64 KiB image, 4 KiB guestshell tarball, the repository's pxs.py and configs/default.cfg, one profile), an
# optional throwaway MariaDB (DB=mariadb), and the packaged server on it. Sets $lab, $server and $admin_port.
# HEAP sets the server's -Xmx (default 512m), JAVA the java that runs it, SERVER_JAR the jar (default the packaged
# one), SERVER_JAVA_OPTS and SERVER_ARGS more.

device_port=${DEVICE_PORT:-18080}
admin_port=${ADMIN_PORT:-18081}
lab=$(mktemp -d)
server=
db=
trap 'kill $server $db 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$lab"' EXIT

mkdir -p "$lab/configs" "$lab/images" "$lab/files"
cp configs/default.cfg "$lab/configs/"
head -c 65536 /dev/urandom > "$lab/images/c1100-universalk9.17.14.01a.SPA.bin"
head -c 4096 /dev/urandom > "$lab/files/guestshell.17.09.01a.tar"
cp files/pxs.py "$lab/files/"
cat > "$lab/pnp-profile.yaml" <<'YAML'
apiVersion: pnp.pnpoperator.io/v1alpha1
kind: PnpProfile
metadata: {name: bench}
spec:
  configRegister: "0x2102"
  image: {file: c1100-universalk9.17.14.01a.SPA.bin, version: 17.14.01a}
  config: {template: default.cfg, perDevice: true}
  files:
    - {name: guestshell.17.09.01a.tar, destination: "bootflash:"}
    - {name: pxs.py, destination: "bootflash:guest-share/"}
  guestshell: {enabled: true, package: guestshell.17.09.01a.tar, script: pxs.py,
               eemApplet: InstallGuestShell, minFreeBytes: 1026107392}
YAML

datasource=()
if [ "${DB:-sqlite}" = mariadb ]; then
  db_port=${DB_PORT:-13306}
  sbin=/usr/sbin
  "$sbin/../bin/mariadb-install-db" --no-defaults --datadir="$lab/mariadb" --auth-root-authentication-method=normal \
    --skip-test-db --user="$(id -un)" > "$lab/mariadb-install.log" 2>&1
  "$sbin/mariadbd" --no-defaults --datadir="$lab/mariadb" --port="$db_port" --bind-address=127.0.0.1 \
    --socket="$lab/mariadb.sock" --skip-log-bin --user="$(id -un)" > "$lab/mariadb.log" 2>&1 &
  db=$!
  for _ in $(seq 60); do mariadb --socket="$lab/mariadb.sock" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done
  mariadb --socket="$lab/mariadb.sock" -uroot -e "CREATE DATABASE pnp_db; CREATE USER 'pnp_user'@'%' IDENTIFIED BY 'bench';
    GRANT ALL ON pnp_db.* TO 'pnp_user'@'%';"
  datasource=(--spring.datasource.url="jdbc:mariadb://127.0.0.1:$db_port/pnp_db" --spring.datasource.username=pnp_user
              --spring.datasource.password=bench)
  echo "== MariaDB $("$sbin/mariadbd" --version | awk '{print $3}') on port $db_port"
fi

# Every simulated router calls from 127.0.0.1: the limits per address are raised, as for routers behind one NAT.
# shellcheck disable=SC2086
${JAVA:-java} -Xmx${HEAP:-512m} -XX:+UseSerialGC ${SERVER_JAVA_OPTS:-} -jar "${SERVER_JAR:-pnp-endpoint/target/pnp-endpoint.jar}" \
  --pnp.device-port="$device_port" --pnp.limits.requests-per-address=1000 \
  --pnp.limits.registrations-per-minute=100000 \
  --pnp.admin-port="$admin_port" --pnp.data-dir="$lab/data" --pnp.profile="$lab/pnp-profile.yaml" \
  --pnp.configs-dir="$lab/configs" --pnp.images-dir="$lab/images" --pnp.files-dir="$lab/files" \
  --logging.level.root=WARN "${datasource[@]}" ${SERVER_ARGS:-} > "$lab/server.log" 2>&1 &
server=$!
for _ in $(seq 60); do
  curl -sf "http://127.0.0.1:$admin_port/actuator/health/readiness" >/dev/null && break
  sleep 1
done

# Simulated routers against the server: sim ARGS... (the simulator's options, --server given).
sim() {
  java -jar device-sim/target/pnp-device-sim.jar --server "http://127.0.0.1:$device_port" --speed 2000 --timeout 600 "$@"
}

rss_mib() {
  awk '/^VmRSS/ {printf "%d", $2 / 1024}' "/proc/$server/status"
}
