#!/bin/sh
# Deploy with the `ferry` CLI from any CI system (or a laptop): start the deployment, watch
# it to its end and fail unless it succeeded.
#
#   FERRY_HUB_URL=https://ferry.example.internal:8443 \
#   FERRY_CLIENT_ID=... FERRY_CLIENT_SECRET=... \
#   ./deploy.sh deploy.yml commit=$(git rev-parse --short HEAD) branch=main
#
# Environment: FERRY_HUB_URL, FERRY_CLIENT_ID, FERRY_CLIENT_SECRET (ARMORY_CLIENT_ID /
# ARMORY_CLIENT_SECRET work too), FERRY_CA_FILE for a hub with its own CA, FERRY_BIN to run
# another `ferry` (default: the one on PATH). Without FERRY_HUB_URL the CLI runs the engine
# locally against your kube contexts.
#
# Exit codes are the CLI's: 0 succeeded, 1 failed (or an error), 2 usage, 3 another
# deployment of the application is in progress.
set -eu

file=${1:-deploy.yml}
[ $# -gt 0 ] && shift
ferry=${FERRY_BIN:-ferry}

# Every remaining argument is a key=value for {{context.KEY}}.
context_flags=""
for pair in "$@"; do
  case $pair in
    *=*) context_flags="$context_flags --add-context $pair" ;;
    *) echo "deploy.sh: \"$pair\" is not key=value" >&2; exit 2 ;;
  esac
done

$ferry validate -f "$file"

# shellcheck disable=SC2086 # context_flags is a list of flags on purpose
status=0
$ferry deploy start -f "$file" --watch $context_flags || status=$?

case $status in
  0) echo "deploy.sh: deployment of $file succeeded" ;;
  3) echo "deploy.sh: another deployment of this application is in progress" >&2 ;;
  *) echo "deploy.sh: deployment of $file did not succeed (exit $status)" >&2 ;;
esac
exit $status
