// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <musubiteststore.h>

#include <QtQml/qqml.h>

// Exposes MusubiTestStore to QML as the uncreatable type MusubiTestStore: what
// MusubiTestRootStore's mounted signal, command functions and
// MusubiTestServer.mountedRoot() hand out. Its invokables and properties are the
// QML API (documented in musubitestingforeign.qdoc).
struct MusubiTestStoreForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiTestStore)
    QML_NAMED_ELEMENT(MusubiTestStore)
    QML_UNCREATABLE("MusubiTestStore instances are created by the server on mount")
};
