// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiuploader.h"

/*!
    \class MusubiUploader
    \inmodule MusubiCore
    \inheaderfile musubiuploader.h
    \brief An external-mode uploader (docs/protocol.md §8.7): sends a file somewhere
    other than the Musubi socket, typically an HTTP PUT to a presigned URL.

    Register an instance on the connection
    (\l [CPP] {MusubiConnection::registerUploader()}) under the name the
    server's preflight reply uses (\c{"uploader": "s3"}):
    \code
    MusubiHttpUploader http;
    connection.registerUploader(u"s3"_s, &http);
    \endcode

    upload() is called once per entry with a MusubiUploadJob. Report progress
    with MusubiUploadJob::reportProgress(), end with finish() or fail(), and
    stop when the job emits cancelled(). The client relays progress to the
    server (\c upload_progress), reports 100 on success and \c upload_error
    (\c external_failed) on failure.

    \sa MusubiHttpUploader, MusubiUploadJob
*/

/*!
    \fn void MusubiUploader::upload(MusubiUploadJob *job)

    Starts transferring \a job. The job outlives this call; it is deleted after it ended.
*/

/*!
    Constructs an uploader with the given \a parent.
*/
MusubiUploader::MusubiUploader(QObject *parent)
    : QObject(parent)
{ }

MusubiUploader::~MusubiUploader() = default;
