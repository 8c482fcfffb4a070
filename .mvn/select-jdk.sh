# Sourced by ./supportbot and .ci/run: make JAVA_HOME point at a JDK 21 or later.
# Keeps the caller's JAVA_HOME (or the java on PATH) when it is new enough; otherwise picks
# the newest JDK under /usr/lib/jvm (or $SUPPORTBOT_JDK_DIRS, space-separated).
supportbot_java_major() { # $1 = path to a java binary; prints its feature version
  local release
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ] && grep -q '^JAVA_VERSION="[0-9]' "$release"; then # read it without starting a JVM
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" | head -n1
    return
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1 | cut -d. -f1
}
supportbot_select_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(supportbot_java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then export JAVA_HOME; return 0; fi
  fi
  if command -v java >/dev/null 2>&1; then
    candidate=$(readlink -f "$(command -v java)")
    major=$(supportbot_java_major "$candidate")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then
      JAVA_HOME=$(dirname "$(dirname "$candidate")"); export JAVA_HOME; return 0
    fi
  fi
  for dir in ${SUPPORTBOT_JDK_DIRS:-/usr/lib/jvm}; do
    for candidate in "$dir"/*/bin/java; do
      [ -x "$candidate" ] || continue
      major=$(supportbot_java_major "$candidate")
      if [ "${major:-0}" -ge 21 ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then
        best=$(dirname "$(dirname "$candidate")"); best_major=$major
      fi
    done
  done
  if [ -z "$best" ]; then
    echo "supportbot needs a JDK 21 or later and found none (JAVA_HOME='${JAVA_HOME:-}', java on PATH, ${SUPPORTBOT_JDK_DIRS:-/usr/lib/jvm}/*). Install one (e.g. apt-get install openjdk-21-jdk-headless) or set JAVA_HOME." >&2
    return 1
  fi
  JAVA_HOME=$best; export JAVA_HOME
}
