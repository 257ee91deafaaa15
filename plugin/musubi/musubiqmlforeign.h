// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

// The data-plane classes are used from QML as they are: these declarations
// only register them (with the full type information qt_extract_metatypes()
// gives), so the core library carries no QML macros.
#include "musubicache.h"
#include "musubicommanderror.h"
#include "musubiconnection.h"
#include "musubiroot.h"
#include "musubistore.h"
#include "musubistorelistmodel.h"
#include "musubistoreref.h"
#include "musubistoretree.h"
#include "musubistreammodel.h"
#include "musubitrace.h"
#include "musubitypedstore.h"
#include "musubiupload.h"

#include <QtQml/qqml.h> // not only qqmlregistration.h: QML_FOREIGN needs QQmlPrivate

struct MusubiStoreForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiStore)
    QML_NAMED_ELEMENT(MusubiStore)
    QML_UNCREATABLE("Stores come from MusubiRoot.store; they are owned by the root.")
};

struct MusubiStoreListModelForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiStoreListModel)
    QML_NAMED_ELEMENT(MusubiStoreListModel)
    QML_UNCREATABLE("Store list models are fields of a MusubiStore.")
};

struct MusubiTypedStoreForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiTypedStore)
    QML_NAMED_ELEMENT(MusubiTypedStore)
    QML_UNCREATABLE("Typed store views come from a generated root's state or a parent's field.")
};

struct MusubiTypedStoreListModelForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiTypedStoreListModel)
    QML_NAMED_ELEMENT(MusubiTypedStoreListModel)
    QML_UNCREATABLE("Typed store list models are fields of a generated store class.")
};

struct MusubiStreamModelForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiStreamModel)
    QML_NAMED_ELEMENT(MusubiStreamModel)
    QML_UNCREATABLE("Stream models are fields of a MusubiStore.")
};

struct MusubiUploadForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiUpload)
    QML_NAMED_ELEMENT(MusubiUpload)
    QML_UNCREATABLE("Upload handles are fields of a MusubiStore.")
};

// The data plane of a root, reachable from C++ only; registered so tooling knows it.
struct MusubiStoreTreeForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiStoreTree)
    QML_ANONYMOUS
};

struct MusubiConnectionForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiConnection)
    QML_NAMED_ELEMENT(MusubiConnection)
};

// The cache of a connection (MusubiConnection.cache): a grouped property in QML, and
// the enumeration MusubiCache.Memory / Disk / Custom.
struct MusubiCacheForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiCache)
    QML_NAMED_ELEMENT(MusubiCache)
    QML_UNCREATABLE("The cache belongs to its connection: use MusubiConnection.cache.")
};

// The trace of a connection (MusubiConnection.trace): records for inspectors.
struct MusubiTraceForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiTrace)
    QML_NAMED_ELEMENT(MusubiTrace)
    QML_UNCREATABLE("The trace belongs to its connection: use MusubiConnection.trace.")
};

struct MusubiRootForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiRoot)
    QML_NAMED_ELEMENT(MusubiRoot)
};

struct MusubiStoreRefForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiStoreRef)
    QML_NAMED_ELEMENT(MusubiStoreRef)
};

struct MusubiCommandErrorForeign
{
    Q_GADGET
    QML_FOREIGN(MusubiCommandError)
    QML_VALUE_TYPE(commandError)
};

namespace MusubiCommandErrorForeignNamespace {
Q_NAMESPACE
QML_FOREIGN_NAMESPACE(MusubiCommandError)
QML_NAMED_ELEMENT(MusubiCommandError)
} // namespace MusubiCommandErrorForeignNamespace
