// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiuploader.h"

class QNetworkAccessManager;

/*!
    \class MusubiHttpUploader
    \brief The built-in external uploader: an HTTP PUT of the file to \c meta.url.

    Request headers come from \c meta.headers (an object of strings);
    \c Content-Type defaults to the entry's client type. The body is streamed
    from disk, never loaded whole. Upload progress is reported as it goes; a
    network error or a status outside 2xx fails the job with \c{"PUT <status>"}
    or the network error text.

    \sa MusubiUploader
*/
class MUSUBI_CORE_EXPORT MusubiHttpUploader : public MusubiUploader
{
    Q_OBJECT
public:
    explicit MusubiHttpUploader(QObject *parent = nullptr);
    ~MusubiHttpUploader() override;

    //! The network access manager used; one is created on first use if none was set.
    QNetworkAccessManager *networkAccessManager() const;
    //! Uses \a manager (not owned) instead of a private one.
    void setNetworkAccessManager(QNetworkAccessManager *manager);

    void upload(MusubiUploadJob *job) override;

private:
    QNetworkAccessManager *m_manager = nullptr;
    bool m_ownsManager = false;
};
