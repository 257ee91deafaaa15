// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubitestingglobal.h"

#include <QtCore/QByteArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

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
