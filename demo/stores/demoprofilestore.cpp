// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "demoprofilestore.h"

#include <QtCore/QDateTime>
#include <QtCore/QUrl>

using namespace Qt::StringLiterals;

DemoProfileStore::DemoProfileStore(QObject *parent)
    : MusubiTestStore(parent)
{
    MusubiTestUploadConfig avatar;
    avatar.accept = QStringList{u".png"_s, u".jpg"_s};
    avatar.maxEntries = 1;
    avatar.maxFileSize = AvatarMaxSize;
    declareUpload(u"avatar"_s, avatar);

    setState({
            {u"name"_s, u"Ada Lovelace"_s},
            {u"bio"_s, u"Analyst of engines."_s},
            {u"avatar_url"_s, QJsonValue::Null},
            {u"saved_at"_s, QJsonValue::Null},
    });
    onCommand(u"save"_s, [this](const QJsonObject &payload) {
        const QJsonValue nameValue = payload.value(u"name"_s);
        const QString name = nameValue.isUndefined() ? value(u"name"_s).toString()
                                                     : nameValue.toString().trimmed();
        if (name.isEmpty())
            return MusubiTestReply::error(u"empty_name"_s);
        const QJsonValue avatar = consumeAvatar();
        update([&](QJsonObject &s) {
            s.insert(u"name"_s, name);
            if (payload.contains(u"bio"_s))
                s.insert(u"bio"_s, payload.value(u"bio"_s).toString());
            if (!avatar.isNull())
                s.insert(u"avatar_url"_s, avatar);
            s.insert(u"saved_at"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
        });
        return MusubiTestReply::ok({{u"saved"_s, true}, {u"avatar"_s, avatar}});
    });
}

void DemoProfileStore::mount(const QJsonObject &params)
{
    const QString name = params.value(u"name"_s).toString();
    if (!name.isEmpty())
        setValue(u"name"_s, name);
}

QJsonValue DemoProfileStore::consumeAvatar()
{
    // The finished avatar upload, if any (one entry at most). Its file stays
    // in the server's upload directory, so a file: URL is what a demo client
    // on this machine can show; no upload means the avatar stays as it was.
    const QList<MusubiTestUploadedEntry> entries = consumeUploadedEntries(u"avatar"_s);
    if (entries.isEmpty() || entries.last().path.isEmpty())
        return QJsonValue::Null;
    return QUrl::fromLocalFile(entries.last().path).toString();
}
