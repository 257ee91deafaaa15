// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// Both include styles of the public headers, from a build tree below a parent.
#include <Musubi/musubiconnection.h>
#include <Musubi/musubiroot.h>
#include <Musubi/musubitestserver.h>
#include <Musubi/phoenixsocket.h>
#include <musubiroot.h>
#include <musubistore.h>

int parentIncludesCompile()
{
    return int(MusubiRoot::Status::Live);
}
