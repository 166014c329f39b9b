#!/usr/bin/env python3
# PURPOSE: validate every JSON output of the toksim program against the JSON Schemas
# (2020-12) shipped in schemas/ (run, check, access, diff, explain, who-can, and the SARIF 2.1.0 logs of
# check and diff against schemas/sarif-2.1.0-subset.schema.json), and the TAP output of
# `toksim check --format tap` with TAP::Parser (tools/tap_validate.pl; skipped when perl's
# TAP::Parser is missing). Run by `make test`.
# Usage: tools/validate_outputs.py PATH/TO/toksim
# Exit 0 when every output validates, 1 when one does not, 2 when something cannot run.
import json
import os
import shutil
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:
    print("validate_outputs: python3-jsonschema is missing (make bootstrap installs it)", file=sys.stderr)
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
MBAM = "scenarios/iis/mbam-iis-iusrs-removed.json"
BAD = "tests/data/scenario/mbam-wrong-expectation.json"
HARDEN = "scenarios/iis/gpo/MBAM-Hardening-GptTmpl.inf"
RESTORE = "scenarios/iis/gpo/Default-Impersonate-GptTmpl.inf"
ACCESS = "access --sddl O:BAG:BAD:(A;;FR;;;BU) --user S-1-5-21-1-2-3-1001 --group BU --desired FR"
BATCH = ('{"id": 1, "sddl": "O:BAG:BAD:(A;;FR;;;BU)", "user": "S-1-5-21-1-2-3-1001", '
         '"groups": ["BU"], "desired": "FR"}\n{"id": "two", "sddl": "O:BA"}\n')

# (arguments, schema file, "json" = one document | "jsonl" = one per line, stdin, exit codes)
CASES = [
    (["run", "--format", "json", MBAM], "run", "json", None, (0,)),
    (["run", "--format", "json", "scenarios"], "run", "json", None, (0,)),
    (["check", "--format", "json", "scenarios"], "check", "json", None, (0,)),
    (["check", "--format", "json", BAD], "check", "json", None, (1,)),
    (ACCESS.split() + ["--format", "json"], "access", "json", None, (0,)),
    (ACCESS.split()[:-1] + ["GA", "--format", "json"], "access", "json", None, (1,)),
    (["access", "--batch", "-"], "access", "jsonl", BATCH, (0,)),
    (["check", "--format", "sarif", "scenarios"], "sarif-2.1.0-subset", "json", None, (0,)),
    (["check", "--format", "sarif", BAD], "sarif-2.1.0-subset", "json", None, (1,)),
    (["diff", "--format", "json", "--policy", HARDEN, "--policy", RESTORE, "scenarios"],
     "diff", "json", None, (1,)),
    (["diff", "--format", "json", "--policy", HARDEN, "--policy", HARDEN, "scenarios"],
     "diff", "json", None, (0,)),
    (["diff", "--format", "sarif", "--policy", HARDEN, "--policy", RESTORE, "scenarios"],
     "sarif-2.1.0-subset", "json", None, (1,)),
    (["explain", "--format", "json", MBAM], "explain", "json", None, (0,)),
    # toksim who-can (issue 17): access with --effective and --explain, a privilege, a share
    (["who-can", "--format", "json", "--scenario", "scenarios/tokens/admin-filtered-vs-elevated.json",
      "--path", "C:\\Windows\\System32\\config\\RegBack\\SAM", "--desired", "FR", "--effective",
      "--principal", "uikou", "--explain", "uikou:interactive:elevated"], "who-can", "json", None, (0,)),
    (["who-can", "--format", "json", "--world", "tests/data/world/pools_services.json", "--privilege",
      "SeImpersonatePrivilege", "--all"], "who-can", "json", None, (0,)),
    (["who-can", "--format", "json", "--world", "tests/data/world/whocan.json", "--sddl", "O:BAG:SYD:(A;;FA;;;BU)",
      "--share-sddl", "O:BAG:SYD:(A;;FR;;;WD)", "--desired", "FW"], "who-can", "json", None, (1,)),
    (["triage", "--format", "json", "--scenario", MBAM, "--step", "pool", "--api",
      "ImpersonateLoggedOnUser", "--error", "0x80070542"], "triage", "json", None, (0,)),
    (["triage", "--format", "json", "--whoami", "tests/data/whoami/apppool_table.txt", "--api",
      "CreateProcessAsUser", "--error", "1314"], "triage", "json", None, (0,)),
    # model switches: a scenario's "model" member, and --switch with an integer value
    (["explain", "--format", "json", "scenarios/tokens/session-rule-on.json"], "explain", "json", None, (0,)),
    (["run", "--format", "json", "--switch", "restricted_rule=2", MBAM], "run", "json", None, (0,)),
    (["paths", "--format", "json", "--scenario", "scenarios/potato/blocked-restricted-or-no-path.json"],
     "paths", "json", None, (0,)),
    (["paths", "--format", "json", "--world", "tests/data/world/pools_services.json"], "paths", "json", None, (0,)),
    (["paths", "--format", "opengraph", "--scenario", "scenarios/potato/blocked-restricted-or-no-path.json"],
     "paths-opengraph", "json", None, (0,)),
]


def run(cli, args, stdin):
    p = subprocess.run([cli] + args, cwd=ROOT, input=stdin, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def main(argv):
    if len(argv) != 2:
        print("usage: validate_outputs.py PATH/TO/toksim", file=sys.stderr)
        return 2
    cli = os.path.abspath(argv[1])
    bad = 0
    checked = 0
    for args, name, mode, stdin, codes in CASES:
        path = os.path.join(ROOT, "schemas", name + ".schema.json")
        if not os.path.exists(path):
            print(f"validate_outputs: {path}: missing", file=sys.stderr)
            return 2
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        rc, out, err = run(cli, args, stdin)
        what = "toksim " + " ".join(args)
        if rc not in codes:
            print(f"validate_outputs: {what}: exit {rc}, expected {codes}\n{err}", file=sys.stderr)
            bad += 1
            continue
        docs = [l for l in out.splitlines() if l.strip()] if mode == "jsonl" else [out]
        for d in docs:
            try:
                doc = json.loads(d)
            except ValueError as e:
                print(f"validate_outputs: {what}: not JSON: {e}", file=sys.stderr)
                bad += 1
                continue
            errs = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
            for e in errs[:5]:
                loc = "/".join(str(p) for p in e.absolute_path)
                print(f"validate_outputs: {what}: {name}.schema.json: /{loc}: {e.message}", file=sys.stderr)
            bad += bool(errs)
            checked += 1
    # TAP through the parser prove uses
    perl = shutil.which("perl")
    has_tap = perl and subprocess.run([perl, "-MTAP::Parser", "-e", "1"], capture_output=True).returncode == 0
    if not has_tap:
        print("validate_outputs: perl TAP::Parser not found: TAP check skipped")
    else:
        for target, code in (("scenarios", 0), (BAD, 1)):
            rc, out, err = run(cli, ["check", "--format", "tap", target], None)
            if rc != code:
                print(f"validate_outputs: toksim check --format tap {target}: exit {rc}\n{err}", file=sys.stderr)
                bad += 1
                continue
            with tempfile.NamedTemporaryFile("w", suffix=".tap", delete=False) as f:
                f.write(out)
            p = subprocess.run([perl, os.path.join(HERE, "tap_validate.pl"), f.name], capture_output=True, text=True)
            if p.returncode != 0:
                print(p.stderr, file=sys.stderr, end="")
                bad += 1
            # and through prove itself: all pass on the catalog, the failing step counted
            prove = shutil.which("prove")
            if prove:
                p = subprocess.run([prove, "--exec", "cat", f.name], capture_output=True, text=True)
                summary = p.stdout + p.stderr
                if "version 14" in summary:  # a prove that predates TAP 14: read it as 13
                    with open(f.name, "w") as g:
                        g.write(out.replace("TAP version 14\n", "TAP version 13\n", 1))
                    p = subprocess.run([prove, "--exec", "cat", f.name], capture_output=True, text=True)
                    summary = p.stdout + p.stderr
                if (p.returncode != 0) != (code != 0) or "Parse errors" in summary:
                    print(f"validate_outputs: prove on check --format tap {target}: exit {p.returncode}\n{summary}",
                          file=sys.stderr)
                    bad += 1
                checked += 1
            os.unlink(f.name)
            checked += 1
    if bad:
        return 1
    print(f"validate_outputs: {checked} outputs match schemas/ (JSON Schema 2020-12, SARIF 2.1.0 subset, TAP)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
