# lab-ipv6.py: run by lab-setup.sh inside fixtures/lab/lab.sh (legacy and
# hardened started).  Asserts IPv6 on the lab links only (2001:2::/48 and
# link-local, no RA/RS/DAD/default route, nothing else on the wire while a
# link comes up and while we talk to the devices), the legacy device's
# IPv6-only service, and the devices' UDP services as refudp serves them.
# Prints "ok ..." / "FAIL ..." lines; lab-setup.sh counts them.
import ipaddress, os, select, socket, subprocess, threading, time

def say(good, what):
    print(("ok   " if good else "FAIL ") + what, flush=True)

def sysctl(ifc, key):
    with open(f"/proc/sys/net/ipv6/conf/{ifc}/{key}") as f:
        return f.read().strip()

LAB6 = ipaddress.ip_network("2001:2::/48")
LL = ipaddress.ip_network("fe80::/10")
LINKMC = ipaddress.ip_network("ff02::/16")
LINKS = {"tb-leg0": "2001:2:0:1::1/64", "tb-hrd0": "2001:2:0:2::1/64"}
leg, hrd = os.environ.get("TB_LAB_LEGACY", ""), os.environ.get("TB_LAB_HARDENED", "")
leg6, hrd6 = os.environ.get("TB_LAB_LEGACY6", ""), os.environ.get("TB_LAB_HARDENED6", "")

say(leg6 == "2001:2:0:1::10" and hrd6 == "2001:2:0:2::10",
    f"lab exports the devices' IPv6 addresses (TB_LAB_LEGACY6={leg6!r}, TB_LAB_HARDENED6={hrd6!r})")
bad = [f"{i}/{k}={sysctl(i, k)}" for i in LINKS for k, want in
       (("disable_ipv6", "0"), ("accept_ra", "0"), ("router_solicitations", "0"),
        ("autoconf", "0"), ("accept_dad", "0")) if sysctl(i, k) != want]
bad += [] if sysctl("lo", "disable_ipv6") == "1" else ["lo/disable_ipv6=0"]
say(not bad, "lab links: IPv6 on, no RA accepted, no RS, no autoconf, no DAD; lo without IPv6 " + " ".join(bad))
addrs = subprocess.run(["ip", "-6", "-o", "addr", "show"], capture_output=True, text=True).stdout.splitlines()
bad = [l.split()[1] + " " + l.split()[3] for l in addrs
       if l.split()[1] not in LINKS or not any(ipaddress.ip_interface(l.split()[3]).ip in n for n in (LAB6, LL))]
say(addrs and not bad, f"IPv6 addresses only on lab links, only 2001:2::/48 and fe80::/10 ({len(addrs)}) {bad}")
routes = subprocess.run(["ip", "-6", "-o", "route", "show", "table", "main"], capture_output=True, text=True).stdout.splitlines()
bad = [r for r in routes if r.split()[0] == "default" or
       not any(ipaddress.ip_network(r.split()[0]).subnet_of(n) for n in (LAB6, LL))]
say(routes and not bad, f"IPv6 routes: the link prefixes only, no default route {bad}")

# Capture every frame on the lab links while a link comes up again (the
# kernel's own chatter) and while we talk to the devices over IPv6.
frames, stop = [], threading.Event()
def capture():
    socks = []
    for i in LINKS:
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
        s.bind((i, 0))
        socks.append(s)
    while not stop.is_set():
        for s in select.select(socks, [], [], 0.1)[0]:
            try:
                frames.append(s.recv(65535))
            except OSError:  # ENETDOWN while the link is down
                pass
t = threading.Thread(target=capture)
t.start()
time.sleep(0.3)
subprocess.run(["ip", "link", "set", "dev", "tb-leg0", "down"], check=True)
subprocess.run(["ip", "link", "set", "dev", "tb-leg0", "up"], check=True)
subprocess.run(["ip", "-6", "addr", "replace", LINKS["tb-leg0"], "dev", "tb-leg0", "nodad"])
time.sleep(2.5)  # the link-up MLD reports and their repeats

def tcp(addr, port, fam):
    s = socket.socket(fam)
    s.settimeout(3)
    try:
        s.connect((addr, port))
        time.sleep(0.3)
        return s.recv(4096)
    except OSError as e:
        return e
    finally:
        s.close()

r = tcp(leg6, 8023, socket.AF_INET6)
say(isinstance(r, bytes) and b"debug shell" in r, f"legacy: tcp/8023 answers over IPv6 ({r!r:.60})")
r = tcp(leg, 8023, socket.AF_INET)
say(isinstance(r, ConnectionRefusedError), f"legacy: tcp/8023 is not there over IPv4 ({r!r:.60})")
r = tcp(hrd6, 8023, socket.AF_INET6)
say(isinstance(r, ConnectionRefusedError), f"hardened: no IPv6-only service on tcp/8023 ({r!r:.60})")

def udp(addr, port, data, fam=socket.AF_INET, wait=1.0):
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.settimeout(wait)
    s.connect((addr, port))
    s.send(data)
    got = []
    try:
        while True:
            got.append(s.recv(65535))
    except socket.timeout:
        pass
    except ConnectionRefusedError as e:
        got.append(e)
    s.close()
    return got

r = udp(leg6, 9, b"x", socket.AF_INET6)
say(len(r) == 1 and isinstance(r[0], ConnectionRefusedError), f"legacy: a closed UDP port over IPv6 gives ICMPv6 port unreachable {r}")
time.sleep(0.3)  # let the capture take the last replies
stop.set()
t.join()

bad, n6, types = [], 0, set()
for f in frames:
    et = int.from_bytes(f[12:14], "big")
    if et in (0x0800, 0x0806):
        continue
    if et != 0x86dd:
        bad.append(f"ethertype {et:#06x}")
        continue
    n6 += 1
    ip = f[14:]
    src, dst = ipaddress.IPv6Address(ip[8:24]), ipaddress.IPv6Address(ip[24:40])
    nh, off = ip[6], 40
    if nh == 0:  # hop-by-hop options (MLD reports carry router alert)
        nh, off = ip[40], 40 + (ip[41] + 1) * 8
    if nh == 58:
        types.add(ip[off])
        if ip[off] in (133, 134, 137):
            bad.append(f"ICMPv6 type {ip[off]} {src} -> {dst}")
    if not any(src in n for n in (LAB6, LL)):
        bad.append(f"source {src}")
    if not any(dst in n for n in (LAB6, LL, LINKMC)):
        bad.append(f"destination {dst}")
say(n6 > 0 and not bad, f"wire: {n6} IPv6 packets (ICMPv6 types {sorted(types)}), all within 2001:2::/48, "
    f"fe80::/10 and ff02::/16, no unspecified source, no RS/RA/redirect {sorted(set(bad))[:5]}")

# The devices' UDP services, as refudp serves them (lab.sh starts it).
def tlv(t, v):
    n = len(v)
    return bytes([t, n]) + v if n < 128 else bytes([t, 0x81, n]) + v
def integer(v):
    return tlv(2, v.to_bytes(4, "big", signed=True).lstrip(b"\0") or b"\0")
SYSDESCR = tlv(6, bytes([0x2b, 6, 1, 2, 1, 1, 1, 0]))
get = tlv(0x30, integer(1) + tlv(4, b"public") +
          tlv(0xa0, integer(4242) + integer(0) + integer(0) + tlv(0x30, tlv(0x30, SYSDESCR + b"\5\0"))))
r = udp(leg, 161, get)
say(len(r) == 1 and b"RD-1 IP Camera, firmware 1.0.3" in r[0], f"legacy: SNMP v2c 'public' reads sysDescr {r!r:.90}")
r = udp(hrd, 161, get)
say(r == [], f"hardened: SNMP v2c 'public' gets no answer {r!r:.60}")
usm = tlv(0x30, tlv(4, b"") + integer(0) + integer(0) + tlv(4, b"") + tlv(4, b"") + tlv(4, b""))
discovery = tlv(0x30, integer(3) + tlv(0x30, integer(77) + integer(65507) + tlv(4, b"\4") + integer(3)) +
                tlv(4, usm) + tlv(0x30, tlv(4, b"") + tlv(4, b"") +
                                  tlv(0xa0, integer(78) + integer(0) + integer(0) + tlv(0x30, b""))))
r = udp(hrd, 161, discovery)
unknown_engine = tlv(6, bytes([0x2b, 6, 1, 6, 3, 15, 1, 1, 4, 0]))
say(len(r) == 1 and unknown_engine in r[0] and b"\xa8" in r[0] and len(r[0]) <= 2 * len(discovery),
    f"hardened: SNMPv3 discovery gets one Report, usmStatsUnknownEngineIDs, "
    f"{len(r[0]) if r and isinstance(r[0], bytes) else '-'} bytes for {len(discovery)}")
msearch = (b'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\n'
           b"MX: 1\r\nST: ssdp:all\r\n\r\n")
r = udp(leg, 1900, msearch)
size = sum(len(x) for x in r if isinstance(x, bytes))
say(len(r) == 13 and size > 50 * len(msearch),
    f"legacy: SSDP M-SEARCH ssdp:all of {len(msearch)} bytes gets {len(r)} replies, {size} bytes")
r = udp(hrd, 1900, msearch)
say(len(r) == 1 and isinstance(r[0], ConnectionRefusedError), f"hardened: no SSDP (port unreachable) {r}")
core = bytes([0x40, 1, 0x12, 0x34, 0xbb]) + b".well-known" + bytes([4]) + b"core"
r = udp(leg, 5683, core)
say(len(r) == 1 and r[0][1] == 0x45 and b"</device/info>" in r[0],
    f"legacy: CoAP GET /.well-known/core without authentication: 2.05 {r!r:.80}")
