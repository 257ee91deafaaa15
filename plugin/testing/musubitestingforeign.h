// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <musubiteststore.h>

#include <QtQml/qqml.h>

/*!
    \internal
    Exposes MusubiTestStore to QML as the uncreatable type \c MusubiTestStore: what
    MusubiTestRootStore's \c mounted signal, command functions and
    MusubiTestServer.mountedRoot() hand out. Its invokables (value, setValue,
    removeValue, pushEvent, streamInsert, streamDelete, streamReset,
    streamSlot, asyncLoading, asyncOk, asyncFailed, childSlot, invalidate) and
    properties (state, storeId, rootId, instanceId, mountParams) are the QML API.
*/
struct MusubiTestStoreForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiTestStore)
    QML_NAMED_ELEMENT(MusubiTestStore)
    QML_UNCREATABLE("MusubiTestStore instances are created by the server on mount")
};
