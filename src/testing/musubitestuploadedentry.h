// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubitestingglobal.h"

#include <QtCore/QByteArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

/*!
    \class MusubiTestUploadedEntry
    \brief A finished upload entry handed over by MusubiTestStore::consumeUploadedEntries().

    For channel mode \c path is the received file in
    MusubiTestServer::uploadDirectory() (kept until the server is destroyed)
    and \c contents its bytes; for external mode both are empty and \c meta
    is what the preflight returned.
*/
struct MUSUBI_TESTING_EXPORT MusubiTestUploadedEntry
{
    QString ref;
    QString clientName;
    QString clientType;
    qint64 clientSize = 0;
    bool external = false;
    QString path;
    QByteArray contents;
    QJsonObject meta;
};
