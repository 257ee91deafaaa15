// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubitestingglobal.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QVariantMap>

struct MUSUBI_TESTING_EXPORT MusubiTestMount
{
    QString module;
    QString instanceId;
    QString rootId;
    QJsonObject params;
    QVariantMap connectParams;
    QString topic;
    int connectionId = -1;
};
