// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubitestingglobal.h"

#include <QtCore/QJsonObject>
#include <QtCore/QStringList>

/*!
    \class MusubiTestUploadConfig
    \brief An upload declaration of a test store (PROTOCOL.md §8.1).

    Mirrors Elixir's \c{upload :name, accept: ..., max_entries: ..., ...}. An empty
    \c accept list means \c :any. \c chunkTimeout is server-side only and never sent.

    \sa MusubiTestStore::declareUpload()
*/
struct MUSUBI_TESTING_EXPORT MusubiTestUploadConfig
{
    QStringList accept; //!< extensions such as ".png"; empty = any
    int maxEntries = 1;
    qint64 maxFileSize = 8000000;
    int chunkSize = 64000;
    int chunkTimeout = 10000; //!< milliseconds

    //! The \c config object of a \c config upload op / preflight reply
    //! (\c accept is \c "any" when the list is empty).
    QJsonObject toJson() const;

    friend bool operator==(const MusubiTestUploadConfig &,
                           const MusubiTestUploadConfig &) = default;
};
