// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubitestuploadconfig.h"

#include <QtCore/QJsonArray>

using namespace Qt::StringLiterals;

/*!
    \class MusubiTestUploadConfig
    \inmodule MusubiTesting
    \inheaderfile musubitestuploadconfig.h
    \brief An upload declaration of a test store (docs/protocol.md §8.1).

    Mirrors Elixir's \c{upload :name, accept: ..., max_entries: ..., ...}. An empty
    \c accept list means \c :any. \c chunkTimeout is server-side only and never sent.
    Entries are transferred over a \c musubi_upload sub-channel unless
    \c externalUploader is set.

    \sa {MusubiTestStore-declareUpload}{MusubiTestStore::declareUpload()}
*/

/*!
    \fn MusubiTestUploadConfig::MusubiTestUploadConfig(const QStringList &accept, int maxEntries,
   qint64 maxFileSize, int chunkSize, int chunkTimeout)

    Constructs a declaration that accepts the extensions \a accept (any
    file when empty), at most \a maxEntries files of at most \a maxFileSize
    bytes each, sent in chunks of \a chunkSize bytes; the server gives up on
    an entry after \a chunkTimeout milliseconds without a chunk.
*/

/*!
    \variable MusubiTestUploadConfig::accept
    \brief The accepted extensions such as \c{.png}; empty means any file.
*/

/*!
    \variable MusubiTestUploadConfig::maxEntries
    \brief How many files one upload may hold.
*/

/*!
    \variable MusubiTestUploadConfig::maxFileSize
    \brief The largest file accepted, in bytes.
*/

/*!
    \variable MusubiTestUploadConfig::chunkSize
    \brief The size of the chunks the client sends, in bytes.
*/

/*!
    \variable MusubiTestUploadConfig::chunkTimeout
    \brief Milliseconds without a chunk after which the server gives up on an entry.
*/

/*!
    \variable MusubiTestUploadConfig::externalUploader

    External mode (docs/protocol.md §8.7) when non-empty: the uploader name the
    preflight reply asks the client for (Elixir \c upload_external/3).
*/

/*!
    \variable MusubiTestUploadConfig::externalMeta

    The \c meta the preflight reply returns for each external entry. In
    its string values (also nested), \c{{ref}} becomes the entry ref and
    \c{{name}} the client file name, so a test can hand out per-file URLs
    such as \c{http://127.0.0.1:PORT/put/{ref}}.
*/

/*!
    Returns the \c config object of a \c config upload op or preflight reply
    (\c accept is \c "any" when the list is empty).
*/
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
