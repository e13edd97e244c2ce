#!/usr/bin/env python3
"""include-cycles.py [SRCDIR]: report include cycles among harness/src modules (for make lint).

A module is a .c file with its .h and its _internal.h, if any
(report/report.c + report/report.h; capture/analyze_internal.h too).  An
edge A -> B means A.c or A.h includes "B.h".  Header cycles (h -> h) are
reported too.  Exit status 1 when any cycle exists."""
import os, re, sys

src = sys.argv[1] if len(sys.argv) > 1 else 'harness/src'
inc_re = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
files = {}
for root, _, names in os.walk(src):
    for n in names:
        if n.endswith(('.c', '.h', '.def')):
            p = os.path.relpath(os.path.join(root, n), src)
            files[p] = inc_re.findall(open(os.path.join(root, n), errors='replace').read())

def sccs(graph):
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]
    def visit(v):
        index[v] = low[v] = n[0]; n[0] += 1; stack.append(v); on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in graph.get(v, ()):
                out.append(sorted(comp))
    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out

mod = lambda p: re.sub(r'_internal$', '', os.path.splitext(p)[0])
modules, headers = {}, {}
for p, incs in files.items():
    m = mod(p)
    modules.setdefault(m, set()).update(mod(i) for i in incs if mod(i) != m and i in files)
    if p.endswith('.h'):
        headers[p] = set(i for i in incs if i in files)
bad = 0
for kind, g in (('module', modules), ('header', headers)):
    for comp in sccs(g):
        bad = 1
        print('%s include cycle: %s' % (kind, ' <-> '.join(comp)))
        for a in comp:
            for b in sorted(g[a]):
                if b in comp:
                    print('   %s -> %s' % (a, b))
print('include cycles: %s' % ('found' if bad else 'none'))
sys.exit(bad)
