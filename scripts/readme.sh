#!/usr/bin/env bash
# README.rst and static/description/index.html of every add-on, generated
# from its readme/*.md fragments by OCA's oca-gen-addon-readme.
# README_ORG / README_REPO / README_BRANCH override the links it writes.
source "$(dirname "$0")/common.sh"
cd "$PROJECT_ROOT"

if ! command -v oca-gen-addon-readme >/dev/null 2>&1; then
    die "oca-gen-addon-readme not found: install oca-maintainers-tools
(if your package index does not have it, install it from a checkout of
OCA's maintainer-tools repository: pip install ./maintainer-tools).
Markdown fragments also need pandoc (apt-get install pandoc).
README.rst and static/description/index.html were not generated."
fi

args=()
for addon in "${ADDONS_LIST[@]}"; do
    [ -f "$addon/readme/DESCRIPTION.md" ] || die "$addon/readme/DESCRIPTION.md is missing"
    args+=(--addon-dir "$addon")
done
oca-gen-addon-readme \
    --org-name "${README_ORG:-account-dunning-fr}" \
    --repo-name "${README_REPO:-account_dunning_fr}" \
    --branch "${README_BRANCH:-18.0}" \
    --gen-html \
    "${args[@]}"
for addon in "${ADDONS_LIST[@]}"; do
    echo "$addon/README.rst, $addon/static/description/index.html"
done
