// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "uploadfixture.h"

#include <musubitestserver.h>
#include <musubiteststore.h>

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>

using namespace Qt::StringLiterals;

UploadFixture::UploadFixture(QObject *parent)
    : QObject(parent)
    , m_server(std::make_unique<MusubiTestServer>())
{
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
