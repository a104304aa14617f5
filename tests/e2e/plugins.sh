#!/usr/bin/env bash
# Issue 16, the whole-process floor: crmctl does not load GMime, libbelcard, libcurl or the XLSX
# libraries (and the forty libraries they bring) until a command needs them; they live in plugins
# beside it (io/plugin.h). libcrypto is loaded by the first hash (events/codec.cc), which a read
# never computes. A plugin that cannot be found is one error line, exit 4, and nothing written.
# librdkafka (with OpenSSL's libssl and SASL) is loaded the same way by Kafka mode alone
# (events/rdkafka_api.h); kafka_*.sh run every Kafka command through it.
CRMCTL=${CRMCTL:-$1}
source "$(dirname "$0")/lib.sh"
FIXTURES="$(dirname "$0")/../io/fixtures/eml"

# --- The binary does not link them -------------------------------------------------------------
linked=$(ldd "$CRMCTL" | awk '{print $1}' |
  { grep -E '^lib(gmime|glib|gio|gobject|gpgme|curl|belcard|belr|bctoolbox|gnutls|ldap|krb5|ssh2|rdkafka|sasl2|ssl|zip|xlsxwriter|pugixml|crypto)' || true; } | tr '\n' ' ')
eq "$linked" "" "crmctl links none of the plugins' libraries, nor librdkafka or libcrypto"
plugins=$(cd "$(dirname "$CRMCTL")/../lib/crmledger" && ls libcrm_*.so | tr '\n' ' ')
eq "$plugins" "libcrm_docx.so libcrm_eml.so libcrm_smtp.so libcrm_vcard.so libcrm_xlsx.so " "the plugins are built beside the binaries"

# --- A command that needs none does not load them ----------------------------------------------
c init >/dev/null
maps=$(LD_DEBUG=files "$CRMCTL" contact list 2>&1 >/dev/null | { grep -cE 'libcrm_|libgmime|libcurl|libbelcard|librdkafka|libcrypto' || true; })
eq "$maps" 0 "a contact list loads no plugin, nor librdkafka or libcrypto"
eq "$(LD_DEBUG=files "$CRMCTL" contact create --name Hashed 2>&1 >/dev/null | grep -c 'calling init: .*libcrypto.so')" 1 \
  "a write loads libcrypto for its hash"
eq "$(c contact list --json | jq length)" 1 "and is appended"

# --- One that needs one loads it, once ---------------------------------------------------------
eq "$(c lead from-email "$FIXTURES/signature.eml")" LD0001 "lead from-email reads a message through the plugin"
eq "$(LD_DEBUG=files "$CRMCTL" lead from-email "$FIXTURES/domain.eml" 2>&1 >/dev/null | grep -c 'calling init: .*libcrm_eml.so')" 1 \
  "lead from-email loads the eml plugin"

# --- A missing plugin: one error line, exit 4, nothing written ---------------------------------
before=$(c ledger verify --json | jq -r .records)
CRM_PLUGIN_DIR="$E2E_SCRATCH/none" expect_exit 4 lead from-email "$FIXTURES/signature.eml"
err=$(CRM_PLUGIN_DIR="$E2E_SCRATCH/none" "$CRMCTL" lead from-email "$FIXTURES/signature.eml" 2>&1 >/dev/null || true)
eq "$(printf '%s\n' "$err" | wc -l | tr -d ' ')" 1 "one line"
case "$err" in
  "error: the eml plugin (libcrm_eml.so) cannot be loaded: $E2E_SCRATCH/none/libcrm_eml.so does not exist"*) ;;
  *) echo "FAIL: the error names the plugin and where it was looked for: $err" >&2; exit 1 ;;
esac
eq "$(c ledger verify --json | jq -r .records)" "$before" "nothing was appended"
finish
