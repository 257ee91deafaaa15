// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubitestingglobal.h"

#include <QtCore/QJsonObject>
#include <QtCore/QStringList>

/*!
    \class MusubiTestUploadConfig
    \brief An upload declaration of a test store (docs/protocol.md §8.1).

    Mirrors Elixir's \c{upload :name, accept: ..., max_entries: ..., ...}. An empty
    \c accept list means \c :any. \c chunkTimeout is server-side only and never sent.
    Entries are transferred over a \c musubi_upload sub-channel unless
    \c externalUploader is set.

    \sa MusubiTestStore::declareUpload()
*/
struct MUSUBI_TESTING_EXPORT MusubiTestUploadConfig
{
    // A constructor (rather than aggregate initialisation) keeps the
    // positional form {accept, maxEntries, maxFileSize, chunkSize, chunkTimeout}
    // valid while the external-mode members below stay optional.
    MusubiTestUploadConfig(const QStringList &accept = {}, int maxEntries = 1,
                           qint64 maxFileSize = 8000000, int chunkSize = 64000,
                           int chunkTimeout = 10000)
        : accept(accept)
        , maxEntries(maxEntries)
        , maxFileSize(maxFileSize)
        , chunkSize(chunkSize)
        , chunkTimeout(chunkTimeout)
    { }

    QStringList accept; //!< extensions such as ".png"; empty = any
    int maxEntries = 1;
    qint64 maxFileSize = 8000000;
    int chunkSize = 64000;
    int chunkTimeout = 10000; //!< milliseconds
    /*! External mode (docs/protocol.md §8.7) when non-empty: the uploader name the
        preflight reply asks the client for (Elixir \c upload_external/3). */
    QString externalUploader;
    /*! The \c meta the preflight reply returns for each external entry. In
        its string values (also nested), \c{{ref}} becomes the entry ref and
        \c{{name}} the client file name, so a test can hand out per-file URLs
        such as \c{http://127.0.0.1:PORT/put/{ref}}. */
    QJsonObject externalMeta;

    //! The \c config object of a \c config upload op / preflight reply
    //! (\c accept is \c "any" when the list is empty).
    QJsonObject toJson() const;

    friend bool operator==(const MusubiTestUploadConfig &,
                           const MusubiTestUploadConfig &) = default;
};
