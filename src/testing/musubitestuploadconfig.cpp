// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubitestuploadconfig.h"

#include <QtCore/QJsonArray>

using namespace Qt::StringLiterals;

QJsonObject MusubiTestUploadConfig::toJson() const
{
    return QJsonObject{
            {u"accept"_s,
             accept.isEmpty() ? QJsonValue(u"any"_s)
                              : QJsonValue(QJsonArray::fromStringList(accept))},
            {u"max_entries"_s, maxEntries},
            {u"max_file_size"_s, maxFileSize},
            {u"chunk_size"_s, chunkSize},
    };
}
