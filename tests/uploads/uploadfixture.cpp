// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "uploadfixture.h"

#include "httpputserver.h"

#include <musubitestserver.h>
#include <musubiteststore.h>

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>

using namespace Qt::StringLiterals;

UploadFixture::UploadFixture(QObject *parent)
    : QObject(parent)
    , m_server(std::make_unique<MusubiTestServer>())
    , m_http(std::make_unique<HttpPutServer>())
{
    m_http->listen(QHostAddress::LocalHost);
    const QString putUrl = u"http://127.0.0.1:%1/put/{name}"_s.arg(m_http->serverPort());
    m_server->registerRoot(u"Test.ExternalUploads"_s, [putUrl](const MusubiTestMount &, QString *) {
        auto *store = new MusubiTestStore;
        store->setState({{u"title"_s, u"external"_s}});
        MusubiTestUploadConfig scripted({}, 3, 1000000, 1000);
        scripted.externalUploader = u"script"_s;
        scripted.externalMeta = {{u"url"_s, u"memory://{ref}"_s}, {u"name"_s, u"{name}"_s}};
        store->declareUpload(u"scripted"_s, scripted);
        MusubiTestUploadConfig http({}, 3, 1000000, 1000);
        http.externalUploader = u"http"_s;
        http.externalMeta = {{u"url"_s, putUrl}};
        store->declareUpload(u"http"_s, http);
        store->onCommand(u"save"_s, [store](const QJsonObject &) {
            QJsonArray saved;
            for (const QString &upload : {u"scripted"_s, u"http"_s}) {
                const auto entries = store->consumeUploadedEntries(upload);
                for (const auto &entry : entries)
                    saved.append(upload + u':' + entry.clientName);
            }
            return MusubiTestReply::ok({{u"saved"_s, saved}});
        });
        return store;
    });
    m_server->registerRoot(u"Test.Uploads"_s, [](const MusubiTestMount &, QString *) {
        auto *store = new MusubiTestStore;
        store->setState({{u"title"_s, u"uploads"_s}});
        store->declareUpload(u"avatar"_s, MusubiTestUploadConfig({}, 3, 1000000, 1000));
        store->onCommand(u"save"_s, [store](const QJsonObject &) {
            QJsonArray names;
            const auto entries = store->consumeUploadedEntries(u"avatar"_s);
            for (const auto &entry : entries)
                names.append(entry.clientName);
            return MusubiTestReply::ok({{u"saved"_s, names}});
        });
        return store;
    });
    m_server->listen();
}

UploadFixture::~UploadFixture() = default;

QUrl UploadFixture::url() const
{
    return m_server->url();
}

QUrl UploadFixture::writeFile(const QString &name, int size)
{
    const QString path = QDir(m_files.path()).filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(QByteArray(size, 'q'));
    return QUrl::fromLocalFile(path);
}

qint64 UploadFixture::receivedSize(const QString &ref) const
{
    const QFileInfo info(QDir(m_server->uploadDirectory()).filePath(ref));
    return info.exists() ? info.size() : -1;
}

qint64 UploadFixture::httpPutSize(const QString &name) const
{
    const QByteArray path = "/put/" + name.toUtf8();
    for (const HttpPutServer::Request &request : std::as_const(m_http->requests)) {
        if (request.method == "PUT" && request.path == path)
            return request.body.size();
    }
    return -1;
}
