#!/usr/bin/env python3
"""PURPOSE: deterministic `toksim access --batch` workload for `make bench` (issue 11).

Writes N JSON lines of realistic cases: descriptors of about 10 ACEs (allow and deny,
domain groups, well-known aliases, an integrity label on some), tokens of about 10
groups, requests of plain rights or MAXIMUM_ALLOWED. 64 distinct descriptors and 256
distinct users, as a differential run over a corpus repeats them.

usage: batch_cases.py N > cases.jsonl
"""
import json, random, sys

DOM = "S-1-5-21-1004336348-1177238915-682003330"

def sddl(rng):
    aces = []
    for _ in range(rng.randint(8, 12)):
        kind = "D" if rng.random() < 0.2 else "A"
        who = rng.choice(["WD", "AU", "BA", "SY", "BU", "%s-%d" % (DOM, rng.randint(2000, 2040))])
        rights = rng.choice(["FR", "FW", "FX", "FA", "0x1", "0x2", "0x120089", "0x100"])
        flags = rng.choice(["", "", "", "CI", "OICI"])
        aces.append("(%s;%s;%s;;;%s)" % (kind, flags, rights, who))
    label = rng.choice(["", "", "S:(ML;;NW;;;HI)", "S:(ML;;NW;;;LW)"])
    return "O:BAG:SYD:" + "".join(aces) + label

def main():
    n = int(sys.argv[1])
    rng = random.Random(11)
    sds = [sddl(rng) for _ in range(64)]
    users = []
    for u in range(256):
        groups = ["WD", "AU"] + ["%s-%d" % (DOM, rng.randint(2000, 2040)) for _ in range(8)]
        if rng.random() < 0.1:
            groups[2] += ":deny-only"
        users.append(("%s-%d" % (DOM, 1000 + u), groups, rng.choice(["medium", "medium", "high", "low"])))
    out = sys.stdout
    for i in range(n):
        user, groups, il = users[rng.randrange(len(users))]
        case = {"id": i, "sddl": sds[rng.randrange(len(sds))], "user": user, "groups": groups,
                "integrity": il,
                "desired": rng.choice(["FR", "FW", "0x1", "0x2", "MAXIMUM_ALLOWED", 1179785])}
        out.write(json.dumps(case, separators=(",", ":")) + "\n")

main()
