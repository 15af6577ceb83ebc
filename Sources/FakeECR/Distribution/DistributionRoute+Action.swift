import HTTPTypes

extension DistributionRoute {
    /// The ECR API action a `/v2/` request stands for, as ECR authorises and logs it: a pull is
    /// `BatchGetImage` (manifests) and `GetDownloadUrlForLayer` (blobs), a push
    /// `InitiateLayerUpload`/`UploadLayerPart`/`CompleteLayerUpload` and `PutImage`; the referrers
    /// API is `ListImageReferrers`.
    func ecrAction(_ method: HTTPRequest.Method) -> String {
        switch (self, method) {
        case (.base, _): "GetAuthorizationToken"
        case (.tags, _): "ListImages"
        case (.manifest, .put): "PutImage"
        case (.manifest, .delete): "BatchDeleteImage"
        case (.manifest, _): "BatchGetImage"
        case (.blob, .head): "BatchCheckLayerAvailability"
        case (.blob, _): "GetDownloadUrlForLayer"
        case (.startUpload, _): "InitiateLayerUpload"
        case (.upload, .put): "CompleteLayerUpload"
        case (.upload, _): "UploadLayerPart"
        case (.referrers, _): "ListImageReferrers"
        }
    }
}
