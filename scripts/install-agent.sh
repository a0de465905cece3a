#!/usr/bin/env bash
# Installs quasar-agent, the Quasar sidecar, on a bare-metal or VM host with systemd:
#   1. checks Node.js >= 20 and npm;
#   2. npm install -g @gravito/quasar@<version> (from the registry npm is configured with);
#   3. installs the systemd unit, pointed at that install;
#   4. writes /etc/quasar-agent.env from a template, unless it already exists;
#   5. systemctl daemon-reload && systemctl enable --now quasar-agent.
# Run it as root from a checkout of the repository. --dry-run prints every step instead, and
# needs no root.
set -euo pipefail

readonly PACKAGE='@gravito/quasar'
readonly UNIT_NAME='quasar-agent.service'
readonly MIN_NODE_MAJOR=20

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version='latest'
dry_run=false
env_file='/etc/quasar-agent.env'
unit_dir='/etc/systemd/system'
unit_source="${script_dir}/../deploy/quasar-agent/${UNIT_NAME}"
env_template="${script_dir}/../deploy/quasar-agent/quasar-agent.env.example"
service=''
transport=''

usage() {
  cat <<USAGE
Usage: install-agent.sh [options]

Installs the quasar-agent sidecar (${PACKAGE}) as the systemd service quasar-agent.

Options:
  --version <version>   ${PACKAGE} version or dist-tag to install (default: latest)
  --service <name>      QUASAR_SERVICE for a new env file
  --transport <url>     QUASAR_TRANSPORT_REDIS_URL for a new env file
  --env-file <path>     environment file of the unit (default: /etc/quasar-agent.env)
  --unit-dir <dir>      where the unit goes (default: /etc/systemd/system)
  --dry-run             print what would be done; change nothing; no root needed
  -h, --help            print this help

An existing env file is never overwritten. Without QUASAR_SERVICE in it, the service is
enabled but not started: set it, then run systemctl start quasar-agent.
USAGE
}

die() {
  printf 'install-agent: %s\n' "$1" >&2
  exit "${2:-1}"
}

say() {
  printf '==> %s\n' "$1"
}

# Runs a command, or prints it under --dry-run.
run() {
  if "${dry_run}"; then
    printf 'would run:'
    printf ' %q' "$@"
    printf '\n'
  else
    "$@"
  fi
}

# Writes stdin to a file with a mode, or prints it under --dry-run.
write_file() {
  local path="$1" mode="$2" content
  content="$(cat)"
  if "${dry_run}"; then
    printf 'would write %s (mode %s):\n' "${path}" "${mode}"
    # Show the file, but not a password inside a Redis URL.
    printf '%s\n' "${content}" | sed -e 's#//\([^:@/]*\):[^@/]*@#//\1:***@#g' -e 's/^/    /'
  else
    install -d -m 0755 "$(dirname "${path}")"
    printf '%s\n' "${content}" >"${path}.tmp"
    chmod "${mode}" "${path}.tmp"
    mv -f "${path}.tmp" "${path}"
  fi
}

# Escapes a value for the replacement side of a sed s|…|…| command.
sed_escape() {
  printf '%s' "$1" | sed -e 's/[\\|&]/\\&/g'
}

need_value() {
  [[ $# -ge 2 && -n "$2" && "$2" != --* ]] || die "$1 needs a value (see --help)" 2
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --version) need_value "$@"; version="$2"; shift 2 ;;
    --version=*) version="${1#*=}"; shift ;;
    --service) need_value "$@"; service="$2"; shift 2 ;;
    --service=*) service="${1#*=}"; shift ;;
    --transport) need_value "$@"; transport="$2"; shift 2 ;;
    --transport=*) transport="${1#*=}"; shift ;;
    --env-file) need_value "$@"; env_file="$2"; shift 2 ;;
    --env-file=*) env_file="${1#*=}"; shift ;;
    --unit-dir) need_value "$@"; unit_dir="$2"; shift 2 ;;
    --unit-dir=*) unit_dir="${1#*=}"; shift ;;
    --dry-run) dry_run=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option $1 (see --help)" 2 ;;
  esac
done

[[ -n "${version}" ]] || die '--version must not be empty' 2
if [[ -n "${service}" && "${service}" =~ [[:space:]:*?\[\]] ]]; then
  die "--service ${service}: no spaces, ':', '*', '?', '[' or ']'" 2
fi

say 'checking Node.js and npm'
command -v node >/dev/null 2>&1 || die "node is not installed; install Node.js ${MIN_NODE_MAJOR} or later"
command -v npm >/dev/null 2>&1 || die 'npm is not installed; it comes with Node.js'
node_version="$(node -p 'process.versions.node')"
node_major="${node_version%%.*}"
if ! [[ "${node_major}" =~ ^[0-9]+$ ]] || ((node_major < MIN_NODE_MAJOR)); then
  die "Node.js ${node_version} is too old; quasar-agent needs ${MIN_NODE_MAJOR} or later"
fi
printf 'node %s, npm %s\n' "${node_version}" "$(npm --version)"

if ! "${dry_run}"; then
  [[ "${EUID}" -eq 0 ]] || die 'run as root (or try --dry-run)'
  command -v systemctl >/dev/null 2>&1 || die 'systemctl not found: this script needs systemd'
fi
[[ -r "${unit_source}" ]] || die "unit file not found at ${unit_source}: run this script from a checkout of the repository"
[[ -r "${env_template}" ]] || die "env template not found at ${env_template}"

say "installing ${PACKAGE}@${version}"
run npm install --global --no-audit --no-fund "${PACKAGE}@${version}"

# Point the unit at this node and this install, wherever npm's global prefix is.
node_bin="$(command -v node)"
agent_js="$(npm root --global)/${PACKAGE}/dist/bin/quasar-agent.js"
unit_path="${unit_dir}/${UNIT_NAME}"
say "installing ${unit_path}"
sed -e "s|^ExecStart=.*|ExecStart=$(sed_escape "${node_bin} ${agent_js}")|" \
  -e "s|^EnvironmentFile=.*|EnvironmentFile=$(sed_escape "${env_file}")|" \
  "${unit_source}" | write_file "${unit_path}" 0644

start=true
if [[ -e "${env_file}" ]]; then
  say "keeping ${env_file}"
  grep -Eq '^QUASAR_SERVICE=[^[:space:]]+' "${env_file}" 2>/dev/null || start=false
else
  say "writing ${env_file}"
  transport_edit=''
  if [[ -n "${transport}" ]]; then
    transport_edit="s|^QUASAR_TRANSPORT_REDIS_URL=.*|QUASAR_TRANSPORT_REDIS_URL=$(sed_escape "${transport}")|"
  fi
  sed -e "s|^QUASAR_SERVICE=.*|QUASAR_SERVICE=$(sed_escape "${service}")|" \
    -e "${transport_edit}" \
    "${env_template}" | write_file "${env_file}" 0600
  [[ -n "${service}" ]] || start=false
fi

say 'enabling the service'
# enable --now leaves a running agent on its old install: restart it onto the new one.
was_active=false
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet quasar-agent 2>/dev/null; then
  was_active=true
fi
run systemctl daemon-reload
if "${start}"; then
  run systemctl enable --now quasar-agent
  if "${was_active}"; then
    run systemctl restart quasar-agent
  fi
  say 'done; follow it with: journalctl -u quasar-agent -f'
else
  run systemctl enable quasar-agent
  say "set QUASAR_SERVICE in ${env_file}, then: systemctl start quasar-agent"
fi
