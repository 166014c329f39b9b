#!/usr/bin/env python3
"""PURPOSE: the hostile-input suite (issue 15). Replays tests/hostile/cases.tsv through the
toksim program: each case gives an input file (or standard input), the command line, the
exit status expected and a substring the output must hold (the message with its file and
line:column or byte position). Every case also asserts that nothing from the input
reaches the terminal unescaped (no control character but newline and tab in the output,
no byte that is not UTF-8 in the messages or the output).

cases.tsv: one case a line, tab-separated, '#' starts a comment line:
  name  file  input  args  exit  expect
- file: the input's file name in the case's scratch directory ('-': the input goes to
  standard input instead; '.': no input).
- input: the bytes, with backslash escapes (\\n, \\t, \\xNN, \\\\); @REPEAT(n,text) repeats.
- args: the command line after `toksim`, shell-quoted, then with the input's backslash
  escapes (an argument can carry an ESC byte). @IN is the input file, @FIFO a
  FIFO created for the case (nobody writes to it; @MKFIFO creates it without naming it on the
  command line, for a file the input refers to), a final '>/dev/full' sends stdout to
  the full device.
- exit: the status expected. expect: a substring of stdout+stderr (@REPEAT as in input).
Nothing here depends on timing: the timeout only stops a hang from stalling the build.
"""
import codecs, os, re, shlex, subprocess, sys, tempfile

def expand(text):
    def rep(m):
        return m.group(2) * int(m.group(1))
    text = re.sub(r"@REPEAT\((\d+),([^)]*)\)", rep, text)
    return codecs.escape_decode(text.encode("utf-8"))[0]

def main():
    toksim = os.path.abspath(sys.argv[1])
    cases = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "cases.tsv")
    fails, count, names = 0, 0, set()
    with tempfile.TemporaryDirectory(prefix="toksim-hostile-") as tmp:
        for lineno, line in enumerate(open(cases, encoding="utf-8"), 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 6:
                print(f"{cases}:{lineno}: expected 6 tab-separated columns, got {len(cols)}")
                fails += 1
                continue
            name, fname, inp, args, want_rc, expect = cols
            expect = re.sub(r"@REPEAT\((\d+),([^)]*)\)",
                            lambda m: m.group(2) * int(m.group(1)), expect)
            if name in names:
                print(f"{cases}:{lineno}: case name {name} used twice")
                fails += 1
            names.add(name)
            count += 1
            d = os.path.join(tmp, name)
            os.mkdir(d)
            data = expand(inp)
            stdin = subprocess.DEVNULL
            if fname == "-":
                stdin = data
            elif fname != ".":
                with open(os.path.join(d, fname), "wb") as f:
                    f.write(data)
            argv = shlex.split(args)
            out_full = bool(argv) and argv[-1] == ">/dev/full"
            if out_full:
                argv = argv[:-1]
            if "@FIFO" in argv or "@MKFIFO" in argv:
                os.mkfifo(os.path.join(d, "fifo"))
                argv = [a for a in argv if a != "@MKFIFO"]
            argv = [("fifo" if a == "@FIFO" else fname if a == "@IN" else
                     os.fsdecode(expand(a))) for a in argv]
            stdout = open("/dev/full", "wb") if out_full else subprocess.PIPE
            try:
                p = subprocess.run([toksim] + argv, cwd=d, stdout=stdout, stderr=subprocess.PIPE,
                                   input=stdin if isinstance(stdin, bytes) else None,
                                   stdin=None if isinstance(stdin, bytes) else stdin, timeout=120)
            except subprocess.TimeoutExpired:
                print(f"FAIL {name} ({cases}:{lineno}): hangs")
                fails += 1
                continue
            finally:
                if out_full:
                    stdout.close()
            out = (p.stdout or b"") + p.stderr
            text = out.decode("utf-8", "replace")
            problems = []
            if p.returncode != int(want_rc):
                problems.append(f"exit {p.returncode}, expected {want_rc}")
            if expect and expect not in text:
                problems.append(f"output lacks {expect!r}")
            if re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", p.stderr):
                problems.append("raw control character in the messages")
            for stream, what in ((p.stderr or b"", "messages"), (p.stdout or b"", "output")):
                try:
                    stream.decode("utf-8")
                except UnicodeDecodeError:
                    problems.append(f"bytes that are not UTF-8 in the {what}")
            if problems:
                fails += 1
                print(f"FAIL {name} ({cases}:{lineno}): toksim {' '.join(argv)}: " + "; ".join(problems))
                print("  " + text.strip().replace("\n", "\n  ")[:800])
    print(f"hostile: {count - fails} of {count} cases passed")
    return 1 if fails else 0

if __name__ == "__main__":
    sys.exit(main())
