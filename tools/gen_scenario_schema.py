#!/usr/bin/env python3
# PURPOSE: generate scenarios/schema.json (JSON Schema draft-07 of the scenario format, version 1)
# from the operation table of libtoksim/src/scenario/run.c, so the schema's step parameters cannot
# drift from what the loader accepts; the top-level "model" member from the one table of model
# switches (libtoksim/src/imperson/options.c). `tools/validate_schema.py` fails when the committed schema
# differs from what this prints.
# Usage: tools/gen_scenario_schema.py [--write]   (default: print to stdout)
import json
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def model_switches():
    # BOOL_ROW(name, ...) rows are booleans; a {{"name", ..., default, max}, SIZE_MAX} row is an
    # integer 0..max (restricted_rule)
    src = open(os.path.join(ROOT, 'libtoksim', 'src', 'imperson', 'options.c')).read()
    props = {}
    for name in re.findall(r'(?<!define )BOOL_ROW\(\s*([a-z_]+)\s*,', src):
        props[name] = {"type": "boolean"}
    for name, top in re.findall(r'\{\{"([a-z_]+)",.*?,\s*(\d+)\},\s*SIZE_MAX\}', src, re.S):
        props[name] = {"type": "integer", "minimum": 0, "maximum": int(top)}
    return {"type": "object", "additionalProperties": False, "properties": props,
            "description": "switches of the impersonation model set for this scenario's runs (docs/scenario-format.md, Model switches)"}


def build():
    src = open(os.path.join(ROOT, 'libtoksim', 'src', 'scenario', 'run.c')).read()
    ops = re.findall(r'\{"([a-z_.]+)",\s*((?:"[^"]*"\s*)+),\s*ts_op_', src)
    def spec_of(s):
        return ''.join(re.findall(r'"([^"]*)"', s))
    type_schema = {
     's': {"type": "string", "maxLength": 4096},
     'n': {"type": "integer"},
     'b': {"type": "boolean"},
     'l': {"type": "array", "items": {"type": "string", "maxLength": 4096}, "maxItems": 256},
     'o': {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "maxItems": 256}]},
     'm': {"anyOf": [{"type": "string", "minLength": 1}, {"type": "integer", "minimum": 0, "maximum": 4294967295}]},
    }
    ifthen = []
    opnames = []
    for name, spec in ops:
        spec = spec_of(spec)
        opnames.append(name)
        props = {"id": True, "op": True, "note": True}
        req = []
        for p in spec.split(','):
            k, t = p.split(':')
            r = t.endswith('!')
            t = t[0]
            props[k] = {"$ref": "#/definitions/t_" + t} if k != "as" else {"type": "string", "pattern": "^[A-Za-z0-9_.-]{1,64}$"}
            if r: req.append(k)
        then = {"properties": props, "additionalProperties": False}
        if req: then["required"] = req
        ifthen.append({"if": {"properties": {"op": {"const": name}}, "required": ["op"]}, "then": then})
    hex8 = {"type": "string", "pattern": "^0[xX][0-9A-Fa-f]{8}$"}
    names = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 256}]}
    schema = {
     "$schema": "http://json-schema.org/draft-07/schema#",
     "$id": "https://toksim.invalid/scenario-format-1.json",
     "title": "toksim scenario, format version 1",
     "description": "A replayable Windows token/impersonation scenario (docs/scenario-format.md). Its step parameters mirror the operation table of libtoksim/src/scenario/run.c: change both together.",
     "type": "object",
     "required": ["toksim", "name", "title", "world", "steps"],
     "additionalProperties": False,
     "properties": {
       "$schema": {"type": "string"},
       "toksim": {"const": 1},
       "name": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{1,64}$"},
       "title": {"type": "string", "minLength": 1, "maxLength": 4096},
       "description": {"type": "string", "maxLength": 4096},
       "references": {"type": "array", "maxItems": 32, "items": {
           "type": "object", "required": ["title"], "additionalProperties": False,
           "properties": {"title": {"type": "string", "maxLength": 4096}, "url": {"type": "string", "maxLength": 4096}}}},
       "model": model_switches(),
       "world": {"$ref": "#/definitions/world"},
       "steps": {"type": "array", "minItems": 1, "maxItems": 256, "items": {"$ref": "#/definitions/step"}},
       "expect": {"type": "object", "maxProperties": 256, "additionalProperties": {"$ref": "#/definitions/expectation"}}
     },
     "definitions": {
       "t_s": type_schema['s'], "t_n": type_schema['n'], "t_b": type_schema['b'], "t_l": type_schema['l'],
       "t_o": type_schema['o'], "t_m": type_schema['m'],
       # issue 9: claims {"name": value}: string, integer, boolean, a non-empty array of one, or {"type", "values"}
       "claims": {"type": "object", "additionalProperties": {"anyOf": [
           {"type": ["string", "integer", "boolean"]},
           {"type": "array", "minItems": 1, "items": {"type": ["string", "integer", "boolean"]}},
           {"type": "object", "required": ["type", "values"], "additionalProperties": False,
            "properties": {"type": {"enum": ["TI", "TU", "TS", "TD", "TB"]},
                           "values": {"type": "array", "minItems": 1}}}]}},
       "world": {
         "type": "object",
         "description": "machine, domain, users, groups, memberships, virtual_accounts, policy_inf, secedit_configure and rights are read by the identity layer (docs/world-format.md); objects by the scenario engine.",
         "additionalProperties": False,
         "properties": {
           "machine": {"type": "object", "additionalProperties": False,
                       "properties": {"name": {"type": "string"}, "sid": {"type": "string"}, "os": {"type": "string"},
                                      # issue 9: the machine's device claims and device groups
                                      "device_claims": {"$ref": "#/definitions/claims"},
                                      "device_groups": {"type": "array", "items": {"type": "string"}}}},
           "domain": {"type": "object", "additionalProperties": False, "required": ["name", "sid"],
                      "properties": {"name": {"type": "string"}, "sid": {"type": "string"}}},
           "os": {"type": "string"},
           "users": {"type": "array", "items": {"type": "object", "required": ["name"], "additionalProperties": False,
                     "properties": {"name": {"type": "string"}, "scope": {"enum": ["machine", "domain"]},
                                    "rid": {"type": "integer", "minimum": 0}, "sid": {"type": "string"},
                                    "disabled": {"type": "boolean"}, "password": {"type": "string"},
                                    "sensitive": {"type": "boolean"}, "protected_users": {"type": "boolean"},
                                    # issue 18: account kind and state (docs/world-format.md)
                                    "kind": {"enum": ["user", "computer", "gmsa"]},
                                    "locked_out": {"type": "boolean"}, "password_expired": {"type": "boolean"},
                                    "must_change_password": {"type": "boolean"},
                                    "outside_logon_hours": {"type": "boolean"},
                                    "account_expires": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                                    "workstations": {"type": "array", "items": {"type": "string"}},
                                    "claims": {"$ref": "#/definitions/claims"},  # issue 9
                                    "groups": {"type": "array", "items": {"type": "string"}}}}},
           "groups": {"type": "array", "items": {"type": "object", "required": ["name"], "additionalProperties": False,
                      "properties": {"name": {"type": "string"}, "scope": {"enum": ["machine", "domain"]},
                                     "rid": {"type": "integer", "minimum": 0}, "sid": {"type": "string"},
                                     "members": {"type": "array", "items": {"type": "string"}}}}},
           "memberships": {"type": "array", "items": {"type": "object", "required": ["group", "member"], "additionalProperties": False,
                           "properties": {"group": {"type": "string"}, "member": {"type": "string"}}}},
           "virtual_accounts": {"type": "array", "items": {"type": "string"}},
           "policy_inf": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
           "secedit_configure": {"type": "boolean"},
           "rights": {"type": "object", "propertyNames": {"pattern": "^Se[A-Za-z]+$"},
                      "additionalProperties": {"type": "array", "items": {"type": "string"}}},
           "note": {"type": "string"},
           "now": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
           "settings": {"type": "object", "additionalProperties": False,
                        "properties": {k: {"type": "integer", "minimum": 0, "maximum": 4294967295}
                                       for k in ["EnableLUA", "FilterAdministratorToken",
                                                 "LocalAccountTokenFilterPolicy",
                                                 "EveryoneIncludesAnonymous"]}},
           # issue 18: pools and services declared in the world (docs/world-format.md)
           "app_pools": {"type": "array", "items": {
              "type": "object", "required": ["name"], "additionalProperties": False,
              "properties": {
                "name": {"type": "string", "minLength": 1},
                "identity": {"enum": ["ApplicationPoolIdentity", "NetworkService", "LocalService",
                                      "LocalSystem", "SpecificUser"]},
                "user": {"type": "string"}, "password": {"type": "string"},
                "manual_group_membership": {"type": "boolean"},
                "note": {"type": "string"}}}},
           "services": {"type": "array", "items": {
              "type": "object", "required": ["name"], "additionalProperties": False,
              "properties": {
                "name": {"type": "string", "minLength": 1},
                "account": {"type": "string"}, "password": {"type": "string"},
                "sid_type": {"enum": ["none", "unrestricted", "restricted"]},
                "required_privileges": {"type": "array", "maxItems": 64,
                                        "items": {"type": "string", "pattern": "^Se[A-Za-z]+Privilege$"}},
                "note": {"type": "string"}}}},
           # issue 18: trusted domains and the computer object (selective authentication)
           "trusts": {"type": "array", "items": {
              "type": "object", "required": ["name", "sid"], "additionalProperties": False,
              "properties": {
                "name": {"type": "string", "minLength": 1},
                "sid": {"type": "string", "pattern": "^S-1-5-21-[0-9]+-[0-9]+-[0-9]+$"},
                "direction": {"enum": ["inbound", "outbound", "bidirectional"]},
                "type": {"enum": ["forest", "external"]},
                "selective_authentication": {"type": "boolean"},
                "users": {"type": "array", "items": {
                   "type": "object", "required": ["name"], "additionalProperties": False,
                   "properties": {"name": {"type": "string"}, "rid": {"type": "integer", "minimum": 1},
                                  "note": {"type": "string"}}}},
                "groups": {"type": "array", "items": {
                   "type": "object", "required": ["name"], "additionalProperties": False,
                   "properties": {"name": {"type": "string"}, "rid": {"type": "integer", "minimum": 1},
                                  "members": {"type": "array", "items": {"type": "string"}},
                                  "note": {"type": "string"}}}},
                "note": {"type": "string"}}}},
           "computer_object": {"type": "object", "additionalProperties": False,
              "properties": {
                "sddl": {"type": "string"},
                "allowed_to_authenticate": {"type": "array", "items": {"type": "string"}},
                "note": {"type": "string"}}},
           "objects": {"type": "array", "maxItems": 256, "items": {
              "type": "object", "required": ["path", "sddl"], "additionalProperties": False,
              "properties": {
                "path": {"type": "string", "minLength": 1, "maxLength": 4096},
                "type": {"enum": ["file", "directory", "key", "service", "scmanager", "process", "thread", "token", "pipe", "wmi", "generic"]},
                "sddl": {"type": "string", "maxLength": 4096},
                "share_sddl": {"type": "string", "maxLength": 4096},
                "machine": {"type": "string"},
                "note": {"type": "string"}}}}
         }
       },
       "step": {
         "type": "object",
         "required": ["id", "op"],
         "properties": {
           "id": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{1,64}$"},
           "op": {"enum": opnames},
           "note": {"type": "string", "maxLength": 4096}
         },
         "allOf": ifthen
       },
       "expectation": {
         "type": "object",
         "additionalProperties": False,
         "properties": {
           "ok": {"type": "boolean"},
           "error": {"type": "string", "pattern": "^[A-Za-z0-9_]+$"},
           "win32": {"type": "integer", "minimum": 0, "maximum": 4294967295},
           "ntstatus": hex8, "hresult": hex8, "wbem": hex8,
           "http": {"type": "integer", "minimum": 100, "maximum": 599},
           "granted": {"anyOf": [hex8, {"type": "integer", "minimum": 0, "maximum": 4294967295}]},
           "impersonation_level": {"enum": ["Anonymous", "Identification", "Impersonation", "Delegation"]},
           "token_has_group": names, "token_lacks_group": names,
           "token_has_privilege": {"anyOf": [{"type": "string", "pattern": "^Se[A-Za-z]+(:(enabled|disabled))?$"},
                                             {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": "^Se[A-Za-z]+(:(enabled|disabled))?$"}}]},
           "token_lacks_privilege": {"anyOf": [{"type": "string", "pattern": "^Se[A-Za-z]+$"},
                                               {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": "^Se[A-Za-z]+$"}}]},
           "finding": {"anyOf": [{"type": "string", "pattern": "^finding\\.[a-z0-9_.]+$"},
                                 {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": "^finding\\.[a-z0-9_.]+$"}}]},
           "rule": {"anyOf": [{"type": "string", "pattern": "^[a-z0-9_]+(\\.[a-z0-9_]+)+$"},
                              {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": "^[a-z0-9_]+(\\.[a-z0-9_]+)+$"}}]},
           "answer": {"type": "boolean"},
           "token_info": {"$ref": "#/definitions/token_info"}
         }
       },
       "token_info": token_info_schema(False),
       "linked_token_info": token_info_schema(True)
     }
    }
    return schema


def token_info_schema(nested):
    """The "token_info" expectation: one member per class of include/toksim/token_info_classes.inc."""
    inc = open(os.path.join(ROOT, 'libtoksim', 'include', 'toksim', 'token_info_classes.inc')).read()
    classes = re.findall(r'TOKSIM_TIC_ROW\(\w+,\s*\d+,\s*"(\w+)"\)', inc)
    err = {"type": "object", "required": ["error"], "additionalProperties": False,
           "properties": {"error": {"type": "string", "pattern": "^[A-Za-z0-9_]+$"}}}
    attrs = {"anyOf": [{"const": "absent"}, {"type": "integer", "minimum": 0, "maximum": 4294967295},
                       {"type": "string", "pattern": "^0[xX][0-9A-Fa-f]{1,8}$"},
                       {"type": "array", "maxItems": 32, "items": {"type": "string"}}]}
    listing = {"type": "object", "minProperties": 1, "maxProperties": 256, "additionalProperties": attrs}
    luid = {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^0[xX][0-9A-Fa-f]{1,16}$"}]}
    level = {"enum": ["Anonymous", "Identification", "Impersonation", "Delegation"]}
    ttype = {"enum": ["Primary", "Impersonation"]}
    values = {
        "TokenUser": {"type": "string"}, "TokenOwner": {"type": "string"}, "TokenPrimaryGroup": {"type": "string"},
        "TokenGroups": listing, "TokenPrivileges": listing, "TokenRestrictedSids": listing,
        "TokenType": ttype, "TokenImpersonationLevel": level,
        "TokenElevationType": {"enum": ["Default", "Full", "Limited"]},
        "TokenIntegrityLevel": {"type": "string"},
        "TokenSessionId": {"type": "integer", "minimum": 0}, "TokenMandatoryPolicy": {"type": "integer", "minimum": 0},
        "TokenOrigin": luid,
        "TokenElevation": {"type": "boolean"}, "TokenHasRestrictions": {"type": "boolean"},
        "TokenIsAppContainer": {"type": "boolean"},
        "TokenStatistics": {"type": "object", "minProperties": 1, "additionalProperties": False, "properties": {
            "AuthenticationId": luid, "TokenType": ttype, "ImpersonationLevel": level,
            "GroupCount": {"type": "integer", "minimum": 0}, "PrivilegeCount": {"type": "integer", "minimum": 0}}},
    }
    if not nested:
        values["TokenLinkedToken"] = {"$ref": "#/definitions/linked_token_info"}
    props = {}
    for c in classes:
        if c == "TokenLinkedToken" and nested:
            continue
        props[c] = {"anyOf": [values[c], err]} if c in values else err
    return {"type": "object", "minProperties": 1, "additionalProperties": False, "properties": props}


def render():
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    text = render()
    if sys.argv[1:] == ["--write"]:
        with open(os.path.join(ROOT, "scenarios", "schema.json"), "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
