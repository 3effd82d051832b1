#!/usr/bin/env bash
# Écrit le bloc « upstream simulateur » pour N processus (par défaut le nombre de cœurs),
# ports 8501 à 8500+N, et dit quelles instances systemd démarrer.
# Usage : deploy/upstream.sh [N] > /etc/nginx/conf.d/simulateur-upstream.conf
# (nginx/simulateur-upstream.conf en est un exemple pour 2 cœurs)
set -euo pipefail
n=${1:-$(nproc)}
echo "upstream simulateur {"
echo "    hash \$simulateur_route consistent;"
for i in $(seq 1 "$n"); do echo "    server 127.0.0.1:$((8500 + i));"; done
echo "}"
echo "# systemctl enable --now $(for i in $(seq 1 "$n"); do printf 'simulateur@%s ' $((8500 + i)); done)" >&2
