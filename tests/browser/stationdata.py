"""The station app's data for its browser test and screenshots: a fair running today (device
times must fall within its days), its station, a person of the station signed in through the
portal, and an attending exporter to escalate to."""
import datetime
import struct
import zlib

from peoplelib import make_person, unique_email


def desk(s, tag):
    """{show, station, email, token}: a fair starting today, its station and a person of it."""
    today = datetime.datetime.now(datetime.timezone.utc).date()
    show = s.make("/api/v1/shows", {
        "id": f"stationapp-{tag}", "name": f"Hall Fair {tag} 2026", "city": "Hannover",
        "country": "DE", "venue": "Messegelände", "starts": today.isoformat(),
        "ends": (today + datetime.timedelta(days=4)).isoformat(), "organiser": "Fair Ltd"})
    station = s.make("/api/v1/stations", {"name": f"Desk {tag}", "show": show["id"],
                                          "country": "DE", "email": "desk@station.example"})
    r = s.request("PATCH", f"/api/v1/shows/{show['id']}", body={"station_id": station["id"]},
                  token=s.admin)
    assert r.status == 200, r
    email = make_person(s, "station", station["id"], name=f"Desk {tag}",
                        email=unique_email("station"))
    return {"show": show, "station": station, "email": email,
            "token": s.token_for("station", station["id"])}


def png(path, width, height):
    """A width×height PNG of two colours (larger than 2 megapixels when asked), written to path."""
    row = b"\x00" + bytes([200, 60, 40]) * (width // 2) + bytes([30, 90, 160]) * (width - width // 2)
    raw = zlib.compress(row * height, 9)

    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                                 0, 0, 0))
                + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def jpeg_size(data):
    """(width, height) from a JPEG's start-of-frame marker."""
    i = 2
    while i < len(data):
        assert data[i] == 0xFF, i
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        i += 2 + length
    raise AssertionError("no frame in the JPEG")
