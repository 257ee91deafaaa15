// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

// Helpers shared by the C++ upload suites (tst_uploads, tst_uploadfaults).

#include <musubiroot.h>
#include <musubistore.h>
#include <musubitestserver.h>
#include <musubiupload.h>

#include <QtCore/QByteArray>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QStringList>

namespace UploadTests {

//! The upload handle \a name of \a root's root store, or nullptr before it is live.
inline MusubiUpload *uploadOf(const MusubiRoot *root, const QString &name)
{
    if (!root || !root->store())
        return nullptr;
    return qobject_cast<MusubiUpload *>(root->store()->value(name).value<QObject *>());
}

//! Writes \a data to \a name in \a dir; the path, or an empty string on failure.
inline QString writeFile(const QString &dir, const QString &name, const QByteArray &data)
{
    const QString path = QDir(dir).filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size())
        return QString();
    return path;
}

//! The files \a server received over upload sub-channels (one per entry ref).
inline QStringList serverFiles(const MusubiTestServer &server)
{
    return QDir(server.uploadDirectory()).entryList(QDir::Files);
}

} // namespace UploadTests
