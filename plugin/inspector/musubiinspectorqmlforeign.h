// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

// Registers the inspector's models (src/inspector) as they are; the library
// itself carries no QML macros.
#include "musubiinspectorlogmodel.h"
#include "musubiinspectorrootsmodel.h"
#include "musubiinspectorsession.h"
#include "musubiinspectorstoremodel.h"

#include <QtQml/qqml.h> // not only qqmlregistration.h: QML_FOREIGN needs QQmlPrivate

struct MusubiInspectorSessionForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiInspectorSession)
    QML_NAMED_ELEMENT(MusubiInspectorSession)
};

struct MusubiInspectorLogModelForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiInspectorLogModel)
    QML_NAMED_ELEMENT(MusubiInspectorLogModel)
};

struct MusubiInspectorRootsModelForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiInspectorRootsModel)
    QML_NAMED_ELEMENT(MusubiInspectorRootsModel)
    QML_UNCREATABLE("The roots model comes from MusubiInspectorSession.roots.")
};

struct MusubiInspectorStoreModelForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiInspectorStoreModel)
    QML_NAMED_ELEMENT(MusubiInspectorStoreModel)
};
