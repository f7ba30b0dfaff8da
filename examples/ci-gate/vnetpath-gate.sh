#!/bin/sh
# vnetpath-gate.sh: fail a pull request whose Terraform plan would cut a
# workload subnet off Entra ID, Azure Resource Manager or its Azure ML
# workspace (or anything else of the workspace's profile).
#
# It turns the plan into JSON with `terraform show -json` (skipped when
# PLAN_JSON names a JSON plan already), then compares the estate before the
# plan (a snapshot taken by `vnetpath collect`) with the estate after it:
#
#   vnetpath diff --before "$SNAPSHOT" --plan "$PLAN_JSON"
#
# The text report goes to standard output (the job log), the JSON report to
# $OUT_DIR/vnetpath-diff.json (an artifact, or the body of a comment). The
# exit status is vnetpath's: 0 when no answer that was reachable stops
# being reachable, 1 when one does (the pull request fails), 2 for a usage
# or input error.
#
# Environment:
#   SNAPSHOT   snapshot directory (default: snapshot)
#   PLAN       binary plan file of `terraform plan -out` (default: tfplan)
#   PLAN_JSON  the plan as JSON; when set, terraform is not run
#   OUT_DIR    where the JSON report goes (default: .)
#   VNETPATH   the vnetpath binary (default: vnetpath)
#   VNETPATH_FLAGS  more flags for vnetpath diff, such as
#              "--service-tags ServiceTags_Public.json" or "--from vnet-spoke-ml/snet-train"
set -eu

SNAPSHOT=${SNAPSHOT:-snapshot}
PLAN=${PLAN:-tfplan}
OUT_DIR=${OUT_DIR:-.}
VNETPATH=${VNETPATH:-vnetpath}
VNETPATH_FLAGS=${VNETPATH_FLAGS:-}

if [ -z "${PLAN_JSON:-}" ]; then
	PLAN_JSON="$OUT_DIR/plan.json"
	terraform show -json "$PLAN" > "$PLAN_JSON"
fi

mkdir -p "$OUT_DIR"
status=0
# shellcheck disable=SC2086 # VNETPATH_FLAGS holds several flags
"$VNETPATH" diff --before "$SNAPSHOT" --plan "$PLAN_JSON" $VNETPATH_FLAGS --format json > "$OUT_DIR/vnetpath-diff.json" || status=$?
if [ "$status" -ge 2 ]; then
	exit "$status"
fi
# The same comparison as text for the log; its status is the same.
# shellcheck disable=SC2086
"$VNETPATH" diff --before "$SNAPSHOT" --plan "$PLAN_JSON" $VNETPATH_FLAGS || true
if [ "$status" -eq 1 ]; then
	echo "vnetpath: the plan would make answers that are reachable today unreachable; see above and $OUT_DIR/vnetpath-diff.json" >&2
fi
exit "$status"
