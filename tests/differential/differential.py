#!/usr/bin/python3
"""PURPOSE: differential test of `toksim access --batch` against Samba's se_access_check.

Generates random access-check cases inside the domain where Samba 4.17 and Windows agree
(see the caveats table of the samba-oracle README): plain allow/deny ACEs (inherit-only
included), NULL DACLs for ordinary requests over a token whose groups are all enabled, owner implicit rights and OWNER RIGHTS
ACEs, SeSecurityPrivilege / SeTakeOwnershipPrivilege, MAXIMUM_ALLOWED, file generic mapping
given to both sides. Left out on purpose, because Samba differs from Windows there and toksim
follows Windows: absent DACLs, NULL DACLs with MAXIMUM_ALLOWED or ACCESS_SYSTEM_SECURITY, deny-only or disabled groups, restricting SIDs,
integrity labels, unmapped generic bits in the request, a MAXIMUM_ALLOWED request that obtains
nothing, SDs without owner/group, impersonation levels.

usage: differential.py TOKSIM ORACLE [--count N] [--seed S] [--keep DIR]
exit 0 when every case agrees, 1 on a disagreement (each printed), 2 on harness errors.
"""
import json
import random
import subprocess
import sys

FILE_MAPPING = [0x120089, 0x120116, 0x1200A0, 0x1F01FF]
USER = "S-1-5-21-1-2-3-1001"
GROUP_POOL = ["S-1-1-0", "S-1-5-11", "S-1-5-32-544", "S-1-5-32-545", "S-1-5-21-1-2-3-513",
              "S-1-5-21-1-2-3-1002"]
ACE_SID_POOL = GROUP_POOL + [USER, "S-1-3-4", "S-1-5-18", "S-1-5-21-1-2-3-1003"]
OWNER_POOL = [USER, "S-1-5-32-544", "S-1-5-18", "S-1-5-21-1-2-3-513"]
RIGHTS = [0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100,
          0x10000, 0x20000, 0x40000, 0x80000, 0x100000]
MAXIMUM_ALLOWED = 0x02000000
ACCESS_SYSTEM_SECURITY = 0x01000000


def rand_mask(rng, generic_ok):
    m = 0
    for _ in range(rng.randint(1, 4)):
        m |= rng.choice(RIGHTS)
    if generic_ok and rng.random() < 0.2:
        m |= rng.choice([0x80000000, 0x40000000, 0x20000000, 0x10000000])
    return m


def gen_case(rng, i):
    groups = [g for g in GROUP_POOL if rng.random() < 0.5]
    privs = [p for p in ("SeSecurityPrivilege", "SeTakeOwnershipPrivilege") if rng.random() < 0.2]
    aces = []
    for _ in range(rng.randint(0, 8)):
        kind = "D" if rng.random() < 0.35 else "A"
        flags = "IO" if rng.random() < 0.1 else ""
        aces.append("(%s;%s;0x%x;;;%s)" % (kind, flags, rand_mask(rng, True), rng.choice(ACE_SID_POOL)))
    sddl = "O:%sG:BAD:%s" % (rng.choice(OWNER_POOL), "".join(aces))
    r = rng.random()
    if r < 0.25:
        desired = MAXIMUM_ALLOWED | (rand_mask(rng, False) if rng.random() < 0.3 else 0)
    else:
        desired = rand_mask(rng, False)
    if rng.random() < 0.07:
        desired |= ACCESS_SYSTEM_SECURITY
    # A NULL DACL agrees only for requests without MAXIMUM_ALLOWED and ACCESS_SYSTEM_SECURITY.
    if not desired & (MAXIMUM_ALLOWED | ACCESS_SYSTEM_SECURITY) and rng.random() < 0.05:
        sddl = "O:%sG:BAD:NO_ACCESS_CONTROL" % rng.choice(OWNER_POOL)
    return {"id": i, "sddl": sddl, "user": USER, "groups": groups, "privileges": privs,
            "desired": desired}


def run(cmd, lines):
    p = subprocess.run(cmd, input="".join(json.dumps(x) + "\n" for x in lines), capture_output=True,
                       text=True)
    if p.returncode != 0:
        sys.stderr.write("differential: %s failed (%d): %s\n" % (cmd[0], p.returncode, p.stderr))
        sys.exit(2)
    return [json.loads(l) for l in p.stdout.splitlines() if l.strip()]


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    toksim, oracle = argv[1], argv[2]
    count, seed = 2000, 1
    args = argv[3:]
    while args:
        if args[0] == "--count":
            count = int(args[1]); args = args[2:]
        elif args[0] == "--seed":
            seed = int(args[1]); args = args[2:]
        else:
            sys.stderr.write("differential: unknown argument %s\n" % args[0])
            return 2
    rng = random.Random(seed)
    cases = [gen_case(rng, i) for i in range(count)]
    samba_in = [{"id": c["id"], "sddl": c["sddl"], "sids": [c["user"]] + c["groups"],
                 "privileges": c["privileges"], "desired": c["desired"],
                 "domain_sid": "S-1-5-21-1-2-3", "mapping": FILE_MAPPING} for c in cases]
    ours = run([toksim, "access", "--batch", "-"], cases)
    theirs = run(["/usr/bin/python3", oracle], samba_in)
    if len(ours) != count or len(theirs) != count:
        sys.stderr.write("differential: expected %d results, got %d / %d\n" % (count, len(ours), len(theirs)))
        return 2
    compared = skipped = bad = 0
    for c, o, s in zip(cases, ours, theirs):
        if "error" in o or s.get("error"):
            sys.stderr.write("differential: case %d input error: toksim=%s samba=%s\n" % (c["id"], o, s))
            return 2
        s_status = int(s["status"], 16)
        s_granted = s["granted"] if s["granted"] is not None else 0
        # Windows (and toksim) deny a MAXIMUM_ALLOWED request that obtains nothing; Samba succeeds
        # with 0 (README caveats). Not comparable.
        if (c["desired"] & MAXIMUM_ALLOWED) and s_status == 0 and s_granted == 0:
            skipped += 1
            continue
        compared += 1
        t_status = int(o["ntstatus"], 16)
        t_granted = int(o["granted"], 16)
        if t_status != s_status or (t_status == 0 and t_granted != s_granted):
            bad += 1
            if bad <= 20:
                print("DISAGREE case %d: %s\n  toksim: status 0x%08x granted 0x%08x\n  samba:  status 0x%08x granted 0x%08x"
                      % (c["id"], json.dumps(c), t_status, t_granted, s_status, s_granted))
    print("differential: %d cases, %d compared, %d skipped (Samba/Windows divergence), %d disagreements"
          % (count, compared, skipped, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
