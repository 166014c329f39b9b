#!/usr/bin/env python3
# PURPOSE: validate every shipped scenario (scenarios/**/*.json, schema.json excepted) against
# scenarios/schema.json (JSON Schema draft-07) with python3-jsonschema; run by `make test`.
# Usage: tools/validate_schema.py [DIR_OR_FILE...]   (default: scenarios)
# Also checks that the schema is the one tools/gen_scenario_schema.py generates from the operation
# table of libtoksim/src/scenario/run.c.
# Exit 0 when all validate, 1 when one does not (each problem printed as FILE: PATH: message),
# 2 when the schema or a file cannot be read.
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    print("validate_schema: python3-jsonschema is missing (make bootstrap installs it)", file=sys.stderr)
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "..", "scenarios", "schema.json")


def files_of(path):
    if os.path.isfile(path):
        return [path]
    out = []
    for root, dirs, names in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for n in sorted(names):
            if n.endswith(".json") and n != "schema.json" and not n.startswith("."):
                out.append(os.path.join(root, n))
    return out


def main(argv):
    try:
        with open(SCHEMA, encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft7Validator.check_schema(schema)
    except (OSError, ValueError, jsonschema.SchemaError) as e:
        print(f"validate_schema: {SCHEMA}: {e}", file=sys.stderr)
        return 2
    # the schema must be what tools/gen_scenario_schema.py derives from the loader's operation table
    sys.dont_write_bytecode = True
    sys.path.insert(0, HERE)
    import gen_scenario_schema

    with open(SCHEMA, encoding="utf-8") as f:
        if f.read() != gen_scenario_schema.render():
            print(f"validate_schema: {SCHEMA} is out of date with libtoksim/src/scenario/run.c: "
                  "run tools/gen_scenario_schema.py --write", file=sys.stderr)
            return 1
    validator = jsonschema.Draft7Validator(schema)
    paths = argv[1:] or ["scenarios"]
    files = [f for p in paths for f in files_of(p)]
    bad = 0
    for path in files:
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print(f"{path}: cannot read: {e}", file=sys.stderr)
            return 2
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
        for e in errors:
            where = "/".join(str(p) for p in e.absolute_path) or "(top)"
            print(f"{path}: {where}: {e.message}", file=sys.stderr)
        bad += bool(errors)
    print(f"validate_schema: {len(files) - bad} of {len(files)} scenarios match scenarios/schema.json")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
