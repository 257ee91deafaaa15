// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QObject>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUrl>
#include <QtQml/qqml.h>

#include <memory>

class HttpPutServer;
class MusubiTestServer;

/*!
    \qmltype UploadFixture
    \inqmlmodule MusubiUploadFixture
    \brief Server side of the QML upload tests: a MusubiTestServer with root
    \c Test.Uploads, whose root store declares upload \c avatar (any file, up
    to 3 entries, 1000-byte chunks) and command \c save (consumes the
    finished entries, replies \c{{saved: [names]}}); and root
    \c Test.ExternalUploads, whose uploads are external: \c scripted asks
    for uploader \c script (meta \c{{url: "memory://<ref>", name}}),
    \c http for uploader \c http (meta \c url on a local HTTP PUT server);
    its command \c save consumes the finished entries of both and replies
    \c{{saved: ["<upload>:<name>", ...]}}.
*/
class UploadFixture : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QUrl url READ url CONSTANT)
    QML_NAMED_ELEMENT(UploadFixture)
    QML_SINGLETON
public:
    explicit UploadFixture(QObject *parent = nullptr);
    ~UploadFixture() override;

    QUrl url() const;
    //! Writes a local file of \a size bytes and returns its \c file: URL.
    Q_INVOKABLE QUrl writeFile(const QString &name, int size);
    //! Size of the file the server received for entry \a ref, -1 if none.
    Q_INVOKABLE qint64 receivedSize(const QString &ref) const;
    //! Body size of the HTTP PUT to \c{/put/<name>}, -1 if none arrived.
    Q_INVOKABLE qint64 httpPutSize(const QString &name) const;

private:
    std::unique_ptr<MusubiTestServer> m_server;
    std::unique_ptr<HttpPutServer> m_http;
    QTemporaryDir m_files;
};
