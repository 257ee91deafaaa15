// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <musubiteststore.h>

/*!
    \class DemoProfileStore
    \brief \c Demo.ProfileStore: a profile form with an avatar upload.

    Fields: \c name, \c bio, \c avatar_url (null until an avatar was saved),
    \c saved_at (null until the first save) and the upload \c avatar
    (\c .png / \c .jpg, one file of at most AvatarMaxSize bytes, transferred
    over an upload sub-channel).

    Command \c save \c{{"name","bio"}} stores the profile and consumes the
    finished avatar entry (its file URL becomes \c avatar_url); it replies
    \c{{"saved": true, "avatar": <url or null>}}.
    An empty name fails with \c empty_name.
*/
class DemoProfileStore : public MusubiTestStore
{
    Q_OBJECT

public:
    //! The avatar size limit: 1 MB.
    static constexpr qint64 AvatarMaxSize = 1000000;

    explicit DemoProfileStore(QObject *parent = nullptr);

    void mount(const QJsonObject &params) override;

private:
    QJsonValue consumeAvatar();
};
